// The console's only script: after a refused form, move the keyboard
// focus to the summary of what to correct. Everything works without it.
document.addEventListener("DOMContentLoaded", function () {
  var p = document.querySelector(".problem[role=alert]");
  if (p) { p.setAttribute("tabindex", "-1"); p.focus(); }
});
