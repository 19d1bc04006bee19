"""Writes a seeded CSV of N rows x 10 columns: 8 numeric, 1 integer, 1 categorical."""
import random
import sys

path, rows = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
cats = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
weights = [30, 20, 15, 10, 10, 8, 5, 2]
with open(path, "w") as f:
    f.write(",".join([f"x{i}" for i in range(8)] + ["count", "kind"]) + "\n")
    for _ in range(rows):
        nums = [
            f"{rng.gauss(0, 1):.6f}",
            f"{rng.gauss(100, 15):.4f}",
            f"{rng.uniform(0, 1000):.3f}",
            f"{rng.expovariate(0.01):.5f}",
            f"{rng.lognormvariate(3, 1):.4f}",
            f"{rng.uniform(-1, 1):.8f}",
            f"{rng.gauss(50000, 20000):.2f}",
            "" if rng.random() < 0.01 else f"{rng.gauss(5, 2):.3f}",
        ]
        f.write(",".join(nums + [str(rng.randint(0, 10000)), rng.choices(cats, weights)[0]]) + "\n")
