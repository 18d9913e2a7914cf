"""Shipment-level trade records at scale: a synthetic generator calibrated to UN Comtrade, a bulk
loader that lets DuckDB read the partitions straight into the warehouse, and limits that keep
both engines within memory. Queries go through the metrics layer like every other number.
"""
