"""SQLAlchemy persistence for the commerce core: the only place that knows about tables."""
