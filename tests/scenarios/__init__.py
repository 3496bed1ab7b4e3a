"""Reducer scenario fixtures (folders) and the script that writes them (make_scenarios.py)."""
