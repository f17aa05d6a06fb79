"""What every endpoint of the read API (/api/v1/) shares: paging by cursor (paging.py),
the per-address rate limit (throttling.py), the spoilers switch and the fields every
resource uses (fields.py), conditional GETs and the base viewsets (views.py), and the
schema's common parts (schema.py).

paging.py and throttling.py are named in REST_FRAMEWORK and loaded while DRF's own views
are defined, so they import nothing that imports those views.
"""
