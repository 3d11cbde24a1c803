"""The EU Digital Maturity Assessment (DMA) view of a diagnostic.

European Digital Innovation Hubs report their clients' digital maturity with the DMA of the EU's
Joint Research Centre: six dimensions scored 0 to 100, an overall mean, a band, measured at T0
(before the support), T1 and T2. French regions report through the hubs. The portal does not ask
the DMA's questions; it derives their answers from its own referential's:

- `model`: the DMA questionnaire for SMEs, item by item, with the column names of the EU tool's CSV;
- `crosswalk`: the mapping, a data file per referential version (diagnostics/referentials/dma/),
  from our questions and levels to the DMA's items, and the pure function that applies it;
- `scoring`: the pure DMA scoring function (0-100 per dimension, overall mean, band).

docs/dma-crosswalk.md explains the mapping, its limits and the choices made where the two open
implementations this follows disagree.
"""
