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
  const rows = await (await fetch(box.dataset.json)).json();
  if (!rows.length) return;  // direction unknown: no best, no records
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: Math.max(box.clientWidth - 40, 500),
    data: { values: rows },
    mark: { type: "line", interpolate: "step-after", point: true, tooltip: true },
    encoding: {
      x: { field: "dump", type: "ordinal", sort: { field: "seq" }, title: "dump (ingestion order)" },
      y: { field: "value", type: "quantitative", scale: { zero: false }, title: "best claimed value" },
      tooltip: [{ field: "dump" }, { field: "title" }, { field: "method" }, { field: "value" }, { field: "gain" }],
    },
  };
  await vegaEmbed(box, spec, { actions: false, renderer: "svg" });
  box.dataset.drawn = "true";
})();
