/* The campaign charts (Chart.js, served from this site), drawn from the JSON data the page carries in a
   <script type="application/json"> block; each chart is drawn only where its canvas is on the page. */
(function () {
  "use strict";
  var fmt = new Intl.NumberFormat("vi-VN");
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function count(v) { return fmt.format(v); }
  function goalLine(label, values, color) {
    return {type: "line", label: label, data: values, borderColor: color, borderDash: [6, 4], borderWidth: 2,
            pointRadius: 0, fill: false, stepped: "middle"};
  }

  var launch = document.getElementById("launch-chart"), d;
  if (launch && (d = data("chart-data"))) {
    new Chart(launch, {
      data: {labels: d.labels, datasets: [
        {type: "bar", label: "BHXH tự nguyện mới", data: d.vsi, backgroundColor: "#0d5c9e", borderRadius: 4},
        {type: "bar", label: "BHYT hộ gia đình mới", data: d.hi, backgroundColor: "#2f9e5b", borderRadius: 4},
        goalLine("Chỉ tiêu BHXH TN", d.goal_vsi, "#0d5c9e"),
        goalLine("Chỉ tiêu BHYT", d.goal_hi, "#2f9e5b")
      ]},
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: {mode: "index", intersect: false},
        scales: {y: {beginAtZero: true, ticks: {precision: 0, callback: count}},
                 x: {ticks: {autoSkip: false, maxRotation: 45}}},
        plugins: {legend: {position: "bottom"},
                  tooltip: {callbacks: {label: function (c) { return c.dataset.label + ": " + fmt.format(c.parsed.y); }}}}
      }
    });
  }

  var unit = document.getElementById("unit-chart");
  if (unit && (d = data("unit-chart-data"))) {
    var colors = ["#0d5c9e", "#2f9e5b"], datasets = [];
    d.series.forEach(function (s, i) {
      datasets.push({type: "bar", label: s.label, data: s.values, backgroundColor: colors[i % 2], borderRadius: 4});
      if (s.goals.some(function (g) { return g !== null; })) {
        datasets.push(goalLine("Chỉ tiêu — " + s.label, s.goals, colors[i % 2]));
      }
    });
    new Chart(unit, {
      data: {labels: d.labels, datasets: datasets},
      options: {responsive: true, maintainAspectRatio: false, animation: false,
        interaction: {mode: "index", intersect: false},
        scales: {y: {beginAtZero: true, ticks: {precision: 0, callback: count}},
                 x: {ticks: {autoSkip: false, maxRotation: 60}}},
        plugins: {legend: {position: "bottom"}}}
    });
  }

  var daily = document.getElementById("daily-chart");
  if (daily && (d = data("daily-chart-data"))) {
    new Chart(daily, {
      type: "line",
      data: {labels: d.labels, datasets: [
        {label: "BHXH tự nguyện mới", data: d.vsi, borderColor: "#0d5c9e", backgroundColor: "#0d5c9e", pointRadius: 0, tension: .2},
        {label: "BHYT hộ gia đình mới", data: d.hi, borderColor: "#2f9e5b", backgroundColor: "#2f9e5b", pointRadius: 0, tension: .2}
      ]},
      options: {responsive: true, maintainAspectRatio: false, animation: false,
        interaction: {mode: "index", intersect: false},
        scales: {y: {beginAtZero: true, ticks: {precision: 0, callback: count}}},
        plugins: {legend: {position: "bottom"}}}
    });
  }

  var leaders = document.getElementById("leaders-chart");
  if (leaders && (d = data("leaders-chart-data"))) {
    new Chart(leaders, {
      type: "bar",
      data: {labels: d.map(function (r) { return r.label; }), datasets: [
        {label: "Người thân", data: d.map(function (r) { return r.relatives; }), backgroundColor: "#0d5c9e"},
        {label: "Hội viên", data: d.map(function (r) { return r.members; }), backgroundColor: "#2f9e5b"},
        {label: "Người khác", data: d.map(function (r) { return r.others; }), backgroundColor: "#c58b12"}
      ]},
      options: {indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        scales: {x: {stacked: true, beginAtZero: true, ticks: {precision: 0}}, y: {stacked: true}},
        plugins: {legend: {position: "bottom"}}}
    });
  }
})();
