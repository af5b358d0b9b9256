#!/usr/bin/env python3
"""Predict the next daily close of a token, as the model of an Allora worker.

Usage:
  python3 main.py <topic_id> <block_height> <block_height_eval> [<default_arg>...]
  python3 main.py --help

The worker runs this script once per inference request, in the project folder, with:
  topic_id           the Allora topic id, a whole number from 1
  block_height       the block height the inference is for, a whole number
  block_height_eval  the block height being evaluated; empty for worker requests
  default_arg        the topic's argument from config.yaml, here the token (default ETH)

On success it prints exactly one JSON object on standard output and exits 0:
  {"infererValue":"<decimal>"}
On any error it prints {"error":"<message>"} on standard output and exits 1. It never writes
to standard error, because some workers merge that stream into the result.

The model is an autoregression of order 3 on daily log returns, fitted by least squares on
the recent rows of data/prices.csv each time the script runs. It needs only the Python
standard library (3.8 or later) and no network. Replace load_closes() and predict_next() with
your own data and model; keep the output contract.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "prices.csv"
DEFAULT_TOKEN = "ETH"
# Past daily log returns the model looks at.
LAGS = 3
# Returns used for the fit: the most recent ones, so the model follows the current regime.
WINDOW = 120
# Ridge penalty that keeps the least-squares system solvable on flat data.
RIDGE = 1e-8
# A predicted return is clipped to this many standard deviations of the fitted returns.
MAX_SIGMAS = 3.0
DECIMALS = 6


class InputError(Exception):
    """An invalid argument or data file; the message is printed as {"error": ...}."""


def parse_whole(name: str, text: str, minimum: int) -> int:
    """Parse a whole-number argument, naming it in the error."""
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit()):
        raise InputError("invalid %s %r: expected a whole number" % (name, text))
    value = int(stripped)
    if value < minimum:
        raise InputError("invalid %s %r: expected at least %d" % (name, text, minimum))
    return value


def parse_arguments(argv: list[str]) -> tuple[int, int, int | None, str]:
    """Check the v2 argument order and return topic, heights and token."""
    if len(argv) < 3:
        raise InputError(
            "expected <topic_id> <block_height> <block_height_eval> [<default_arg>...], "
            "got %d argument(s); run main.py --help" % len(argv)
        )
    topic_id = parse_whole("topic_id", argv[0], minimum=1)
    block_height = parse_whole("block_height", argv[1], minimum=0)
    eval_height = None
    if argv[2].strip() != "":
        eval_height = parse_whole("block_height_eval", argv[2], minimum=0)
    token = DEFAULT_TOKEN
    if len(argv) > 3 and argv[3].strip() != "":
        token = argv[3].strip().upper()
    return topic_id, block_height, eval_height, token


def load_closes(path: Path, token: str) -> list[float]:
    """Read the daily closes of one token from a date,token,close CSV file, oldest first."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise InputError("cannot read %s: %s" % (path.name, error.strerror or error))
    closes = []
    tokens = set()
    for line, row in enumerate(rows, start=2):
        row_token = (row.get("token") or "").strip().upper()
        tokens.add(row_token)
        if row_token != token:
            continue
        try:
            close = float(row.get("close") or "")
        except ValueError:
            raise InputError("invalid close %r on line %d of %s" % (row.get("close"), line, path.name))
        if not math.isfinite(close) or close <= 0:
            raise InputError("invalid close %r on line %d of %s" % (row.get("close"), line, path.name))
        closes.append(close)
    if not closes:
        known = ", ".join(sorted(t for t in tokens if t)) or "none"
        raise InputError("unknown token %r: %s has %s" % (token, path.name, known))
    if len(closes) < LAGS + 10:
        raise InputError("too few closes for %s: %d (need %d)" % (token, len(closes), LAGS + 10))
    return closes


def solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve a small linear system by Gaussian elimination with partial pivoting."""
    size = len(vector)
    rows = [matrix[i][:] + [vector[i]] for i in range(size)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        if abs(rows[pivot][column]) < 1e-300:
            raise InputError("cannot fit the model: the data has no variation")
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for row in range(column + 1, size):
            factor = rows[row][column] / rows[column][column]
            for k in range(column, size + 1):
                rows[row][k] -= factor * rows[column][k]
    solution = [0.0] * size
    for row in range(size - 1, -1, -1):
        known = sum(rows[row][k] * solution[k] for k in range(row + 1, size))
        solution[row] = (rows[row][size] - known) / rows[row][row]
    return solution


def predict_next(closes: list[float]) -> float:
    """Fit r[t] = b0 + b1*r[t-1] + ... + bL*r[t-L] on log returns, then extrapolate one day."""
    returns = [math.log(b / a) for a, b in zip(closes, closes[1:])]
    recent = returns[-(WINDOW + LAGS):]
    features = []
    targets = []
    for t in range(LAGS, len(recent)):
        features.append([1.0] + [recent[t - lag] for lag in range(1, LAGS + 1)])
        targets.append(recent[t])

    # Normal equations (X'X + ridge*I) b = X'y; the system is (LAGS+1) x (LAGS+1).
    size = LAGS + 1
    gram = [[sum(x[i] * x[j] for x in features) for j in range(size)] for i in range(size)]
    for i in range(1, size):
        gram[i][i] += RIDGE
    moment = [sum(x[i] * y for x, y in zip(features, targets)) for i in range(size)]
    coefficients = solve(gram, moment)

    latest = [1.0] + [recent[-lag] for lag in range(1, LAGS + 1)]
    predicted = sum(b * x for b, x in zip(coefficients, latest))
    mean = sum(targets) / len(targets)
    sigma = math.sqrt(sum((y - mean) ** 2 for y in targets) / len(targets))
    predicted = max(-MAX_SIGMAS * sigma, min(MAX_SIGMAS * sigma, predicted))
    return closes[-1] * math.exp(predicted)


def format_decimal(value: float) -> str:
    """Format a value as a plain decimal string: no exponent, no trailing zeros."""
    if not math.isfinite(value):
        raise InputError("the model produced a non-finite value: %r" % value)
    text = "%.*f" % (DECIMALS, value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def emit(document: dict) -> None:
    """Print one compact JSON object on standard output."""
    sys.stdout.write(json.dumps(document, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        sys.stdout.write(__doc__.strip() + "\n")
        return 0
    try:
        _topic_id, _block_height, _eval_height, token = parse_arguments(argv)
        closes = load_closes(DATA_FILE, token)
        emit({"infererValue": format_decimal(predict_next(closes))})
        return 0
    except InputError as error:
        emit({"error": str(error)})
    except Exception as error:  # every failure must still print valid JSON
        emit({"error": "unexpected %s: %s" % (type(error).__name__, error)})
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
