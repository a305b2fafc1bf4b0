// Page-wide accessibility glue that Radix leaves to the page: focus goes back where it came
// from when a dialog opened by state (not by a trigger button) closes, a slider's handle
// (the element screen readers focus) takes the name its slider was given, and Escape closes
// an open sheet (an element with data-open="true" and data-escape-close="<close button id>").
import { useEffect } from "react";

const DIALOG = '[role="dialog"], [role="alertdialog"]';
const THUMB_LABEL = "data-thumb-label";
// A menu, dropdown or dialog that is open takes Escape for itself first.
const OPEN_LAYER = '[data-radix-popper-content-wrapper], [role="dialog"][data-state="open"]';

function closeSheetOnEscape(e) {
  if (e.key !== "Escape" || e.defaultPrevented || document.querySelector(OPEN_LAYER)) return;
  const sheet = document.querySelector('[data-open="true"][data-escape-close]');
  const close = sheet && document.getElementById(sheet.getAttribute("data-escape-close"));
  if (!close) return;
  e.preventDefault();
  close.click();
  // Back to what opened it, as a dialog does.
  const opener = document.getElementById(sheet.getAttribute("data-escape-return") || "");
  if (opener) opener.focus();
}

// Radix Themes renders a slider's handles itself and forwards no attributes to them.
function nameSliderHandles() {
  document.querySelectorAll(`[${THUMB_LABEL}]`).forEach((root) => {
    const label = root.getAttribute(THUMB_LABEL);
    root.querySelectorAll('[role="slider"]').forEach((thumb) => {
      if (thumb.getAttribute("aria-label") !== label) thumb.setAttribute("aria-label", label);
    });
  });
}

export function PageA11y() {
  useEffect(() => {
    let lastOutside = null;
    const onFocusIn = (e) => {
      if (!(e.target.closest && e.target.closest(DIALOG))) lastOutside = e.target;
    };
    document.addEventListener("focusin", onFocusIn, true);
    document.addEventListener("keydown", closeSheetOnEscape);
    window.keycraftReturnFocus = () => {
      if (lastOutside && lastOutside.isConnected) lastOutside.focus();
    };
    let frame = 0;
    const observer = new MutationObserver(() => {
      // Once per frame, however many nodes React changed in it.
      if (!frame) frame = requestAnimationFrame(() => {
        frame = 0;
        nameSliderHandles();
      });
    });
    nameSliderHandles();
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      document.removeEventListener("focusin", onFocusIn, true);
      document.removeEventListener("keydown", closeSheetOnEscape);
      observer.disconnect();
      cancelAnimationFrame(frame);
      delete window.keycraftReturnFocus;
    };
  }, []);
  return null;
}
