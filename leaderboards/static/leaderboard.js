// A leaderboard's charts, drawn by Vega-Lite from JSON API rows: its entries as bars,
// its best over ingestion order (records, dump by dump) as a step line.
(async function () {
  const box = document.getElementById("leaderboard-chart");
  if (!box) return;
  const rows = await (await fetch(box.dataset.json)).json();
  const label = (r) => `${r.rank ? r.rank + ". " : ""}${r.method || r.title}`.slice(0, 60);  // no rank: direction unknown
  const data = rows.map((r) => ({ label: label(r), value: r.value, title: r.title, text: r.text }));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: Math.max(box.clientWidth - 40, 500),
    data: { values: data },
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: "label", type: "nominal", sort: null, title: null },
      x: { field: "value", type: "quantitative", title: "claimed value" },
      tooltip: [{ field: "title" }, { field: "text" }, { field: "value" }],
    },
  };
  await vegaEmbed(box, spec, { actions: false, renderer: "svg" });
  box.dataset.drawn = "true";
})();

(async function () {
  const box = document.getElementById("records-chart");
  if (!box) return;
  const [rows, [latest]] = await Promise.all([box.dataset.json, box.dataset.latest].map(async (url) => (await fetch(url)).json()));
  if (!rows.length) return;  // direction unknown: no best, no records
  const best = rows[rows.length - 1];
  // the last step runs on to the latest dump: the best still stands there
  const today = latest.seq > best.seq ? [{ ...best, seq: latest.seq, dump: latest.file_name, still: true }] : [];
  // the axis fits the values, with room around them: one record alone (FID 1.70) would
  // otherwise sit on a degenerate axis labelled with a rounded tick ("2")
  const values = rows.map((r) => r.value);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const pad = (high - low) * 0.2 || Math.abs(high) * 0.1 || 1;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: Math.max(box.clientWidth - 80, 460),
    height: 200,
    padding: { left: 5, top: 5, right: 40, bottom: 5 },  // room for the last dump's slanted name
    data: { values: rows.concat(today) },
    encoding: {
      x: { field: "dump", type: "ordinal", sort: { field: "seq" }, title: "dump (ingestion order)",
           axis: { labelAngle: -20, labelLimit: 0 } },
      y: { field: "value", type: "quantitative", scale: { zero: false, nice: false, domain: [low - pad, high + pad] },
           title: "best claimed value" },
    },
    layer: [
      { mark: { type: "line", interpolate: "step-after" } },
      {
        transform: [{ filter: "!datum.still" }],
        mark: { type: "point", filled: true, size: 60 },
        encoding: { tooltip: [{ field: "dump" }, { field: "title" }, { field: "method" }, { field: "value" }, { field: "gain" }] },
      },
    ],
  };
  await vegaEmbed(box, spec, { actions: false, renderer: "svg" });
  box.dataset.drawn = "true";
})();
