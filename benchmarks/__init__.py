"""Performance benchmarks for cxotutor (issue 7).

    python -m benchmarks.generate [--small]   # synthetic collection under benchmarks/data/
    python -m benchmarks [--small]            # every measurement; table + benchmarks/out/results.json

See benchmarks/README.md for the budget and how each figure is measured.
"""
