// headroom's layout check, injected into a copy of a page (report/LayoutCheck.java). After layout (with the page's
// print rules when the URL ends in #print) it lists, one per
// line in a pre element of id headroom-layout-check, "kind<TAB>element<TAB>what is wrong":
//   table    a table wider than its container, not inside a horizontal scroll container (columns cut off)
//   clipped  text cut off: by a box that hides overflow, by its table cell, at the page's right edge, by a chart's edge
//            or plot area
//   overlap  two text labels of one chart whose boxes intersect
// The line "done<TAB>N" closes the list, N the number of elements looked at, so a check that did not run cannot pass.
// It runs on the load event, when layout and fonts are settled.
window.addEventListener('load', function () {
  'use strict';
  var SLACK = 1.5; // px: rounding of sub-pixel layout, never a visible defect
  // "#print" in the URL: lay the page out with its print rules, as the PDF is, where nothing scrolls.
  if (location.hash === '#print') printRules();
  var out = [];
  var headings = Array.prototype.slice.call(document.querySelectorAll('h1,h2,h3'));

  function words(s, n) {
    s = (s || '').replace(/\s+/g, ' ').trim();
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }
  function section(el) {
    var last = '';
    for (var i = 0; i < headings.length; i++) {
      if (headings[i] === el || headings[i].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) last = headings[i].textContent;
      else break;
    }
    return words(last, 60);
  }
  function name(el) {
    var tag = el.tagName.toLowerCase();
    var s = section(el);
    return tag + ' "' + words(el.textContent, 50) + '"' + (s ? ' in section "' + s + '"' : '');
  }
  function report(kind, el, what) {
    out.push([kind, name(el), what].join('\t').replace(/[\r\n]+/g, ' '));
  }
  function scrolls(el) {
    var o = getComputedStyle(el).overflowX;
    return o === 'auto' || o === 'scroll';
  }
  function inScroller(el) {
    for (var a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) if (scrolls(a)) return true;
    return false;
  }
  function px(v) {
    return Math.round(v) + ' px';
  }
  function intersection(a, b) {
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > SLACK && h > SLACK ? {w: w, h: h} : null;
  }
  function inside(inner, outer) {
    return inner.left >= outer.left - SLACK && inner.right <= outer.right + SLACK
        && inner.top >= outer.top - SLACK && inner.bottom <= outer.bottom + SLACK;
  }

  var looked = 0;
  var pageRight = document.documentElement.clientWidth;

  document.querySelectorAll('table').forEach(function (t) {
    looked++;
    var box = t.parentElement;
    var width = t.getBoundingClientRect().width;
    if (width > box.clientWidth + SLACK && !inScroller(t)) {
      report('table', t, 'is ' + px(width) + ' wide in a ' + px(box.clientWidth) + ' column and cannot scroll: columns are cut off');
    }
  });

  var TEXT = 'p,li,td,th,pre,code,h1,h2,h3,h4,figcaption,summary,a,strong,span,div,nav';
  document.body.querySelectorAll(TEXT).forEach(function (el) {
    looked++;
    var cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') return;
    var hides = function (o) { return o === 'hidden' || o === 'clip'; };
    if ((hides(cs.overflowX) && el.scrollWidth > el.clientWidth + SLACK)
        || (hides(cs.overflowY) && el.scrollHeight > el.clientHeight + SLACK)) {
      report('clipped', el, 'its content (' + px(el.scrollWidth) + ' × ' + px(el.scrollHeight) + ') is cut to its box ('
          + px(el.clientWidth) + ' × ' + px(el.clientHeight) + ')');
      return;
    }
    if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + SLACK) {
      report('clipped', el, 'its text ends in an ellipsis');
      return;
    }
    if ((el.tagName === 'TD' || el.tagName === 'TH') && el.scrollWidth > el.clientWidth + SLACK) {
      report('clipped', el, 'its text (' + px(el.scrollWidth) + ') spills out of its ' + px(el.clientWidth) + ' cell over the next one');
      return;
    }
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > pageRight + SLACK && !inScroller(el)) {
      var parent = el.parentElement.getBoundingClientRect();
      if (parent.right <= pageRight + SLACK || el.parentElement === document.body) {
        report('clipped', el, 'reaches ' + px(r.right) + ', past the page\'s right edge at ' + px(pageRight));
      }
    }
  });

  document.querySelectorAll('svg').forEach(function (svg, n) {
    var chart = svg.getBoundingClientRect();
    var where = section(svg);
    var texts = Array.prototype.slice.call(svg.querySelectorAll('text')).filter(function (t) {
      return t.textContent.trim() !== '' && getComputedStyle(t).display !== 'none';
    });
    var boxes = texts.map(function (t) { return t.getBoundingClientRect(); });
    texts.forEach(function (t, i) {
      looked++;
      var label = 'text "' + words(t.textContent, 40) + '" of chart ' + (n + 1) + (where ? ' in section "' + where + '"' : '');
      if (!inside(boxes[i], chart)) {
        out.push(['clipped', label, 'reaches outside the chart\'s ' + px(chart.width) + ' × ' + px(chart.height) + ' frame'].join('\t'));
      }
      var clip = plotArea(t);
      if (clip && !inside(boxes[i], clip)) {
        out.push(['clipped', label, 'is cut by the plot area it is drawn in'].join('\t'));
      }
      for (var j = 0; j < i; j++) {
        var x = intersection(boxes[i], boxes[j]);
        if (x) {
          out.push(['overlap', label, 'overlaps text "' + words(texts[j].textContent, 40) + '" by ' + px(x.w) + ' × ' + px(x.h)].join('\t'));
        }
      }
    });
  });

  // The on-screen box of the clip path a chart element is drawn under (JFreeSVG clips the plot area), or null.
  function plotArea(el) {
    for (var a = el; a && a.tagName.toLowerCase() !== 'svg'; a = a.parentElement) {
      var ref = a.getAttribute('clip-path');
      var m = ref && ref.match(/url\(#([^)]+)\)/);
      if (!m) continue;
      var clip = document.getElementById(m[1]);
      var shape = clip && clip.firstElementChild;
      var ctm = a.getScreenCTM();
      if (!shape || !ctm || typeof shape.getBBox !== 'function') return null;
      var b = shape.getBBox();
      var p1 = new DOMPoint(b.x, b.y).matrixTransform(ctm);
      var p2 = new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(ctm);
      return {left: Math.min(p1.x, p2.x), right: Math.max(p1.x, p2.x), top: Math.min(p1.y, p2.y), bottom: Math.max(p1.y, p2.y)};
    }
    return null;
  }

  // Copies every @media print rule into a stylesheet for all media.
  function printRules() {
    var css = [];
    Array.prototype.forEach.call(document.styleSheets, function (sheet) {
      Array.prototype.forEach.call(sheet.cssRules, function (rule) {
        if (rule.media && /\bprint\b/.test(rule.media.mediaText)) {
          Array.prototype.forEach.call(rule.cssRules, function (r) { css.push(r.cssText); });
        }
      });
    });
    var style = document.createElement('style');
    style.textContent = css.join('\n');
    document.head.appendChild(style);
  }

  out.push('done\t' + looked);
  var pre = document.createElement('pre');
  pre.id = 'headroom-layout-check';
  pre.textContent = '\n' + out.join('\n') + '\n';
  document.body.appendChild(pre);
});
