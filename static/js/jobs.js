// A background job's progress bar: polls its state (JSON) every two seconds until it ends.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-count");
  var state = document.getElementById("job-state");
  var message = document.getElementById("job-message");

  function show(job) {
    if (job.total) {
      bar.max = job.total;
      bar.value = job.done;
      bar.textContent = job.percent + "%";
      count.textContent = job.done + "/" + job.total + " 步（" + job.percent + "%）";
    }
    state.textContent = job.state_label;
    state.dataset.state = job.state;
    message.textContent = job.message;
    message.className = job.state === "failed" ? "message error" : "";
    if (job.started_at) document.getElementById("job-started").textContent = job.started_at;
    document.getElementById("job-attempts").textContent =
      job.attempts + (job.attempts > 1 ? "（后台进程重启后继续）" : "");
    var line = document.querySelector('#jobs-banner [data-job="' + job.id + '"]');
    if (line && job.finished) {
      var banner = line.parentNode;
      banner.removeChild(line);
      if (!banner.children.length) banner.parentNode.removeChild(banner);
    } else if (line && job.total) {
      var steps = "（" + job.done + "/" + job.total + " 步）";
      var text = line.firstChild.textContent;
      line.firstChild.textContent = /（\d+\/\d+ 步）/.test(text)
        ? text.replace(/（\d+\/\d+ 步）/, steps)
        : text.replace("；", steps + "；");
    }
  }

  function poll() {
    fetch(box.dataset.stateUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (!job.finished) window.setTimeout(poll, 2000);
        else box.dataset.finished = "1";
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
