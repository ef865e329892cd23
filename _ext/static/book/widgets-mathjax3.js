/*
 * The widget manager (@jupyter-widgets/html-manager 1.0, for ipywidgets 8)
 * typesets widget labels with MathJax 2's API, MathJax.Hub.Queue, whenever
 * window.MathJax exists. The book loads MathJax 3, which has no Hub, so on a
 * page with both maths and widgets every label would throw
 * "Cannot read properties of undefined (reading 'Queue')".
 * This gives MathJax 3 the one call the widgets use. It runs at
 * DOMContentLoaded, after the deferred MathJax script and before the widgets
 * are rendered (at window "load"), so the order of the script tags does not
 * matter. Part of the book (MIT licence), not vendored.
 */
document.addEventListener("DOMContentLoaded", function () {
  var mj = window.MathJax;
  if (!mj || !mj.version || mj.Hub) {
    return;
  }
  mj.Hub = {
    Queue: function (command) {
      var element = command && command[2];
      var ready = (mj.startup && mj.startup.promise) || Promise.resolve();
      return ready.then(function () {
        return element && mj.typesetPromise ? mj.typesetPromise([element]) : null;
      });
    },
  };
});
