"""Generated data, kept apart from the domain apps: the demo (`manage.py seed_demo`), peer companies
for benchmarks (`manage.py seed_peers`) and the national data set the benchmarks run on
(`manage.py seed_national`). It sits above every app and writes through their models and services."""
