"""The pandas side of the benchmark: read_csv then describe(include='all')."""
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1])
df.describe(include="all").to_json()
