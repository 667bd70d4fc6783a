from flask import jsonify

from marketplace.geo import bp, services


@bp.get("/provinces/<int:code>/wards")
def wards(code: int):
    """Wards of a province, for the ward picker that follows the province picker."""
    if services.get_province(code) is None:
        return jsonify(error="unknown province"), 404
    return jsonify(wards=[{"code": c, "name": n} for c, n in services.ward_choices(code)])
