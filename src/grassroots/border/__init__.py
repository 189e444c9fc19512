"""边界: border work inside one deployment (issue 19): 边界联席会议 (meetings of the
jurisdictions along a boundary, with partners outside the deployment named as participants)
and 边界隐患 (boundary hazards: disputed pasture, forest or water areas as places).

Places and matters only: nothing here lists or watches people. docs/border.md.
"""
