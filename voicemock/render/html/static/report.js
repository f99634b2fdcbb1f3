/* voicemock report: inlined into the page at render time. No network, no dependencies.
   Per recorded answer (.clip): clicking a word, a finding or the timeline plays the
   recording from there; the playhead and the current word follow the audio. */
(function () {
  "use strict";
  var STEP = 5; // seconds moved by the arrow keys on the timeline

  function clock(t) {
    var s = Math.max(0, Math.round(t));
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function setup(clip) {
    var audio = clip.querySelector("audio");
    var timeline = clip.querySelector(".timeline");
    var playhead = timeline ? timeline.querySelector(".playhead") : null;
    var duration = parseFloat(clip.getAttribute("data-duration") || "0");
    var words = Array.prototype.slice.call(clip.querySelectorAll(".transcript .w[data-t]"));
    var starts = words.map(function (w) { return parseFloat(w.getAttribute("data-t")); });
    var current = null;
    var frame = 0;

    function length() {
      if (duration > 0) { return duration; }
      return audio && isFinite(audio.duration) ? audio.duration : 0;
    }

    function wordAt(t) { // the last word starting at or before t
      var lo = 0, hi = starts.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (starts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      return found;
    }

    function show(t) {
      var total = length();
      if (playhead && total > 0) {
        playhead.hidden = false;
        playhead.style.left = Math.min(100, Math.max(0, t / total * 100)) + "%";
      }
      if (timeline) {
        timeline.setAttribute("aria-valuenow", t.toFixed(1));
        timeline.setAttribute("aria-valuetext", clock(t));
      }
      var i = wordAt(t + 0.02);
      var w = i >= 0 ? words[i] : null;
      if (w !== current) {
        if (current) { current.classList.remove("current"); }
        if (w) { w.classList.add("current"); }
        current = w;
      }
    }

    function follow() {
      show(audio.currentTime);
      if (!audio.paused && !audio.ended) { frame = window.requestAnimationFrame(follow); }
    }

    function seek(t, play) {
      var total = length();
      t = Math.max(0, total > 0 ? Math.min(t, total) : t);
      if (audio) {
        audio.currentTime = t;
        if (play) {
          var started = audio.play();
          if (started && typeof started.catch === "function") { started.catch(function () {}); }
        }
      }
      show(t);
    }

    clip.addEventListener("click", function (event) {
      if (timeline && timeline.contains(event.target)) { // the point clicked on the time axis
        var box = timeline.getBoundingClientRect();
        if (box.width > 0) { seek((event.clientX - box.left) / box.width * length(), true); }
        return;
      }
      var target = event.target.closest ? event.target.closest("[data-t]") : null;
      if (target && clip.contains(target)) { // a word or a quoted finding
        seek(parseFloat(target.getAttribute("data-t")), true);
      }
    });

    if (timeline) {
      timeline.addEventListener("keydown", function (event) {
        var t = audio ? audio.currentTime : parseFloat(timeline.getAttribute("aria-valuenow") || "0");
        var keys = { ArrowLeft: t - STEP, ArrowRight: t + STEP, Home: 0, End: length() };
        if (Object.prototype.hasOwnProperty.call(keys, event.key)) {
          event.preventDefault();
          seek(keys[event.key], false);
        } else if ((event.key === " " || event.key === "Enter" || event.key === "k") && audio) {
          event.preventDefault();
          if (audio.paused) { seek(audio.currentTime, true); } else { audio.pause(); }
        }
      });
    }

    if (audio) {
      audio.addEventListener("play", function () {
        window.cancelAnimationFrame(frame);
        frame = window.requestAnimationFrame(follow);
      });
      ["pause", "ended", "seeked", "timeupdate"].forEach(function (name) {
        audio.addEventListener(name, function () { show(audio.currentTime); });
      });
    }
  }

  // One recording at a time: starting one pauses the others.
  document.addEventListener("play", function (event) {
    var players = document.querySelectorAll("audio");
    for (var i = 0; i < players.length; i++) {
      if (players[i] !== event.target && !players[i].paused) { players[i].pause(); }
    }
  }, true);

  var clips = document.querySelectorAll(".clip");
  for (var i = 0; i < clips.length; i++) { setup(clips[i]); }
}());
