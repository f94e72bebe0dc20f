// Citation links scroll the sources panel to their passage (and open an older answer's sources).
// Read by qa/ui/app.py at start and put in the page's <head>.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.cite") : null;
  if (!link) return;
  var card = document.getElementById((link.getAttribute("href") || "").slice(1));
  if (!card) return;
  event.preventDefault();
  event.stopPropagation();
  var group = card.closest("details");
  if (group) group.open = true;
  card.scrollIntoView({behavior: "smooth", block: "center"});
  card.classList.remove("flash");
  void card.offsetWidth;
  card.classList.add("flash");
  setTimeout(function () { card.classList.remove("flash"); }, 2000);
}, true);
