#!/usr/bin/python3
"""Writes linear-regression.onnx and linear-regression.csv, a fixture for Flywheel's ONNX import.

The graph is built by hand with onnx.helper (Debian's python3-onnx), the way a model exported by
another tool arrives: one named float input per column, shape [N, 1], and one output.

    price = 50 * rooms - 0.8 * age + 30

The CSV holds 400 rows of the same relation plus Gaussian noise (sd 5), seeded, so a Flywheel
spec can evaluate and gate the graph against the baseline. Rerun from this folder:

    /usr/bin/python3 make_linear_regression.py
"""
import random

import onnx
from onnx import TensorProto, helper

WEIGHTS = [50.0, -0.8]
BIAS = 30.0


def graph():
    rooms = helper.make_tensor_value_info("rooms", TensorProto.FLOAT, ["N", 1])
    age = helper.make_tensor_value_info("age", TensorProto.FLOAT, ["N", 1])
    price = helper.make_tensor_value_info("price", TensorProto.FLOAT, ["N", 1])
    w = helper.make_tensor("w", TensorProto.FLOAT, [2, 1], WEIGHTS)
    b = helper.make_tensor("b", TensorProto.FLOAT, [1], [BIAS])
    nodes = [
        helper.make_node("Concat", ["rooms", "age"], ["x"], axis=1),
        helper.make_node("MatMul", ["x", "w"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["price"]),
    ]
    g = helper.make_graph(nodes, "linear_regression", [rooms, age], [price], [w, b])
    # Opset 13 and IR 7 keep the file readable by old and new runtimes alike.
    model = helper.make_model(
        g, producer_name="flywheel-fixture", opset_imports=[helper.make_opsetid("", 13)]
    )
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def data(rows=400, seed=7):
    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        rooms = round(rng.uniform(1, 8), 3)
        age = round(rng.uniform(0, 60), 3)
        price = WEIGHTS[0] * rooms + WEIGHTS[1] * age + BIAS + rng.gauss(0, 5)
        out.append((rooms, age, round(price, 3)))
    return out


if __name__ == "__main__":
    onnx.save(graph(), "linear-regression.onnx")
    with open("linear-regression.csv", "w", encoding="utf-8") as f:
        f.write("rooms,age,price\n")
        for r in data():
            f.write("%s,%s,%s\n" % r)
