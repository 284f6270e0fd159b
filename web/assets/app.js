// sohoa web interface: a little plain JavaScript, no library, no build
// step.  Every page works without it; this adds zooming of page images
// and the review queue's keyboard (Enter accepts, Tab edits).
"use strict";

(function () {
	// Page images: fit the column, or grow and shrink by a quarter.
	function zoomable(section) {
		var imgs = section.querySelectorAll("img.page-img");
		var scale = 0;	// 0: fit

		function apply() {
			imgs.forEach(function (img) {
				if (scale === 0) {
					img.style.width = "100%";
					img.style.maxWidth = "";
					img.classList.remove("zoomed");
				} else {
					img.style.width = Math.round(
					    img.naturalWidth * scale) + "px";
					img.style.maxWidth = "none";
					img.classList.add("zoomed");
				}
			});
		}
		section.querySelectorAll("[data-zoom]").forEach(function (b) {
			b.addEventListener("click", function () {
				var d = Number(b.getAttribute("data-zoom"));
				var base = scale || fitScale();

				if (d === 0)
					scale = 0;
				else
					scale = Math.min(4, Math.max(0.2,
					    base * (d > 0 ? 1.25 : 0.8)));
				apply();
			});
		});
		imgs.forEach(function (img) {
			img.addEventListener("click", function () {
				scale = scale === 0 ? 1 : 0;
				apply();
			});
		});
		function fitScale() {
			var img = imgs[0];
			if (!img || !img.naturalWidth)
				return 1;
			return img.clientWidth / img.naturalWidth;
		}
	}

	// Review queue: Enter accepts the value as read, Tab goes to the
	// box to correct it, Enter in the box saves and goes on.
	function reviewKeys(item) {
		var accept = item.querySelector("form.accept");
		var input = item.querySelector("form.correct input.value");

		document.addEventListener("keydown", function (e) {
			var busy = e.target.closest &&
			    e.target.closest("input, select, textarea, button, a");

			// keys on a box, a button or a link do what they do
			if (busy || e.altKey || e.ctrlKey || e.metaKey)
				return;
			if (e.key === "Enter" && accept) {
				e.preventDefault();
				accept.submit();
			} else if (e.key === "Tab" && input && !e.shiftKey) {
				e.preventDefault();
				input.focus();
				input.select();
			}
		});
	}

	// Buttons that undo nothing ask first.
	function confirms() {
		document.querySelectorAll("form[data-confirm]").forEach(
		    function (f) {
			f.addEventListener("submit", function (e) {
				if (!window.confirm(f.getAttribute(
				    "data-confirm")))
					e.preventDefault();
			});
		});
	}

	document.addEventListener("DOMContentLoaded", function () {
		var pages = document.getElementById("pages");
		var item = document.querySelector(".review-item");

		if (pages)
			zoomable(pages);
		if (item)
			reviewKeys(item);
		confirms();
	});
})();
