// The ballot page: move attention points up and down, or count the points given.
// The page works without this script (a place or a number per point); the script
// adds "Move up"/"Move down" buttons, keeps every place in step with the list's
// order, keeps the focus on the moved point and says where it went in a live
// region. Texts come translated from the page (json_script "ballot-messages").
(function () {
  "use strict";

  function format(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function readTexts() {
    var source = document.getElementById("ballot-messages");
    return source ? JSON.parse(source.textContent) : {};
  }

  function announcer(region) {
    var timer = null;
    return function (text) {
      if (!region) {
        return;
      }
      // Emptied first, so the same words said twice are announced twice.
      region.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        region.textContent = text;
      }, 60);
    };
  }

  function setUpRanking(list, texts) {
    var announce = announcer(document.getElementById("ballot-status"));

    function items() {
      return Array.prototype.slice.call(list.querySelectorAll(":scope > .ranking-item"));
    }

    function renumber() {
      var all = items();
      all.forEach(function (item, index) {
        item.querySelector("select").value = String(index + 1);
        item.querySelector(".move-up").setAttribute("aria-disabled", String(index === 0));
        item.querySelector(".move-down").setAttribute("aria-disabled", String(index === all.length - 1));
      });
    }

    function placeAt(item, index) {
      var others = items().filter(function (other) {
        return other !== item;
      });
      list.insertBefore(item, others[index] || null);
    }

    function said(item) {
      return { number: item.dataset.number, place: items().indexOf(item) + 1 };
    }

    function move(item, step, control) {
      var index = items().indexOf(item);
      var target = index + step;
      if (target < 0) {
        announce(format(texts.atTop, said(item)));
        return;
      }
      if (target >= items().length) {
        announce(format(texts.atBottom, said(item)));
        return;
      }
      placeAt(item, target);
      renumber();
      control.focus(); // moving the element in the document takes the focus away
      announce(format(texts.moved, said(item)));
    }

    function button(item, className, label, step) {
      var control = document.createElement("button");
      control.type = "button";
      control.className = "move " + className;
      var arrow = document.createElement("span");
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = step < 0 ? "↑ " : "↓ ";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ": " + format(texts.pointName, { number: item.dataset.number });
      control.appendChild(arrow);
      control.appendChild(document.createTextNode(label));
      control.appendChild(hidden);
      control.addEventListener("click", function () {
        if (control.getAttribute("aria-disabled") === "true") {
          announce(format(step < 0 ? texts.atTop : texts.atBottom, said(item)));
          return;
        }
        move(item, step, control);
      });
      return control;
    }

    items().forEach(function (item) {
      var controls = item.querySelector(".ranking-controls");
      var select = item.querySelector("select");
      var group = document.createElement("span");
      group.className = "move-buttons";
      group.appendChild(button(item, "move-up", texts.moveUp, -1));
      group.appendChild(button(item, "move-down", texts.moveDown, 1));
      controls.appendChild(group);
      // Choosing a place moves the point there; the others close up.
      select.addEventListener("change", function () {
        placeAt(item, parseInt(select.value, 10) - 1);
        renumber();
        select.focus();
        announce(format(texts.moved, said(item)));
      });
    });
    renumber();
  }

  function setUpPoints(list, texts) {
    var status = document.getElementById("ballot-status");
    var budget = parseInt(list.dataset.budget, 10);
    var inputs = Array.prototype.slice.call(list.querySelectorAll("input"));
    var language = document.documentElement.lang || "nl";

    function number(value) {
      return value.toLocaleString(language);
    }

    function update() {
      var total = inputs.reduce(function (sum, input) {
        var value = parseInt(input.value, 10);
        return sum + (isNaN(value) ? 0 : value);
      }, 0);
      var text = format(texts.total, { total: number(total), budget: number(budget) });
      if (total < budget) {
        text += " " + format(texts.remaining, { remaining: number(budget - total) });
      } else if (total > budget) {
        text += " " + format(texts.over, { over: number(total - budget) });
      } else {
        text += " " + texts.exact;
      }
      status.textContent = text;
      status.classList.toggle("is-complete", total === budget);
      status.classList.toggle("is-over", total > budget);
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", update);
    });
    update();
  }

  function setUp() {
    var texts = readTexts();
    var ranking = document.querySelector("[data-ballot=ranking]");
    if (ranking) {
      setUpRanking(ranking, texts);
    }
    var points = document.querySelector("[data-ballot=points]");
    if (points) {
      setUpPoints(points, texts);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
