"""Metric functions: arrays in, numbers or small frozen records out.

Modules: ``region`` (IoU, Dice, precision, recall, area ratio), ``boundary``
(boundary F / P / R and boundary IoU over tolerances), ``trimap`` (agreement in
bands around the reference edge), ``mba`` (CascadePSP's mean boundary
accuracy), ``distance`` (surface distances), ``disagreement`` (disagreement by
distance to the reference boundary), ``alignment`` (a mask against its image's
edges), ``presets`` (published conventions; ``presets_region``,
``presets_segmetrics`` and ``presets_parity`` hold their region rules,
seg-metrics' contours and the map from published key names to presets),
``report`` (:func:`compare`, the default report), ``_empty`` (the empty-mask
table). ``metrics`` never sees a path.
"""

__all__: list[str] = []
