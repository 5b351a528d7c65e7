#!/bin/sh
uv run -m manage qcluster
