/// The one stylesheet, served locally at `/assets/style.css` (no web fonts, no CDN: pages work on a
/// closed county network). Visible focus for keyboard users (a dark ring, 17:1 against the page, around a yellow one:
/// the yellow alone was 1.64:1 on white, below the 3:1 of WCAG 1.4.11), colour never the only signal (outcome
/// cells also carry words), and a print section that drops navigation, buttons and what is marked `no-print`, shows what
/// is marked `print-only` (hidden on screen), and prints link targets.
enum Stylesheet {
    static let css = """
    :root { --fg: #1b1b1b; --bg: #ffffff; --muted: #555; --accent: #0b4f8a; --ok: #0a6b2d; --ok-bg: #e3f4e8;
            --bad: #a11b1b; --bad-bg: #fbe6e6; --line: #c9c9c9; --focus: #ffbf47; }
    * { box-sizing: border-box; }
    html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; font-size: 100%; }
    body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.5; }
    a { color: var(--accent); }
    a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus, main:focus {
      outline: 3px solid var(--fg); outline-offset: 2px; box-shadow: 0 0 0 2px var(--focus); }
    .skip-link { position: absolute; left: -10000px; top: 0; background: var(--focus); color: #000; padding: .5rem 1rem; }
    .skip-link:focus { left: 0; z-index: 10; }
    .site-header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between;
                   padding: .75rem 1.5rem; border-bottom: 4px solid var(--accent); }
    .brand { margin: 0; font-weight: 700; }
    .brand a { text-decoration: none; }
    .tagline { font-weight: 400; color: var(--muted); font-size: .9rem; }
    .main-nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
    .main-nav a[aria-current="page"] { font-weight: 700; text-decoration: none; border-bottom: 3px solid var(--accent); }
    .account-box p { margin: 0; font-size: .9rem; }
    .account-box form, form.inline-form { display: inline; }
    form.inline-form button { margin-left: 0.5em; padding: 0.1em 0.6em; }
    main { padding: 1rem 1.5rem 2rem; max-width: 72rem; }
    .site-footer { border-top: 1px solid var(--line); padding: .5rem 1.5rem; color: var(--muted); font-size: .85rem; }
    label { display: block; font-weight: 600; margin-top: .75rem; }
    input[type=text], input[type=password], input[type=date], select, textarea {
      font: inherit; padding: .4rem .5rem; border: 2px solid var(--fg); border-radius: 3px; min-width: min(18rem, 100%); max-width: 100%; }
    button, .button { font: inherit; margin-top: 1rem; padding: .5rem 1.1rem; border: 2px solid var(--accent);
      background: var(--accent); color: #fff; border-radius: 3px; cursor: pointer; text-decoration: none; display: inline-block; }
    .account-box button { margin-top: 0; padding: .2rem .6rem; background: #fff; color: var(--accent); }
    fieldset { border: 1px solid var(--line); margin-top: 1rem; }
    label.inline { display: inline; font-weight: 400; margin: 0; }
    .check { margin: .2rem 0; }
    pre.entry { white-space: pre-wrap; word-break: break-all; background: #f6f6f6; padding: .5rem; }
    dl.entry-fields { display: grid; grid-template-columns: minmax(min(10rem, 40%), max-content) minmax(0, 1fr); gap: .2rem 1rem; margin: .5rem 0; }
    dl.entry-fields dt { font-weight: bold; overflow-wrap: anywhere; } dl.entry-fields dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
    dl.entry-fields dl.entry-fields { margin: 0; } dl.entry-fields ol { margin: 0; padding-left: 1.2rem; }
    .alert { border-left: 6px solid var(--bad); background: var(--bad-bg); padding: .75rem 1rem; }
    .error-summary { border: 4px solid var(--bad); border-left-width: 6px; margin-bottom: 1rem; }
    .error-summary h2 { margin-top: 0; font-size: 1.1rem; }
    .error-summary a { color: var(--bad); font-weight: 700; }
    .field-error { color: var(--bad); font-weight: 700; margin: .25rem 0; }
    [aria-invalid="true"] { border-color: var(--bad) !important; border-width: 3px !important; }
    fieldset.field-group { border: none; padding: 0; margin: 0; }
    fieldset.field-group > legend { font-weight: 600; margin-top: .75rem; }
    .notice { border-left: 6px solid var(--ok); background: var(--ok-bg); padding: .75rem 1rem; }
    table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
    th, td { border: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
    th { background: #f2f2f2; }
    .permit { background: var(--ok-bg); color: var(--ok); font-weight: 700; }
    .deny { background: var(--bad-bg); color: var(--bad); font-weight: 700; }
    .muted { color: var(--muted); }
    .required { font-weight: 400; color: var(--muted); }
    .after-withdrawal { color: var(--bad); }
    .print-only { display: none; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    /* Reflow at 320 CSS px (WCAG 1.4.10): the header and main padding shrink, an entry's fields stack. */
    @media (max-width: 30rem) {
      .site-header { padding: .5rem .75rem; } main { padding: 1rem .75rem 2rem; }
      dl.entry-fields { grid-template-columns: minmax(0, 1fr); } dl.entry-fields dd { margin-left: .75rem; }
    }
    @media print {
      .site-header nav, .account-box, .skip-link, button, .button, .no-print { display: none !important; }
      .print-only { display: block; }
      .site-header { border-bottom: 2px solid #000; }
      body { font-size: 11pt; color: #000; }
      main { max-width: none; padding: 0; }
      a[href^="/"]::after { content: ""; }
      a[href^="http"]::after { content: " (" attr(href) ")"; }
      .permit, .deny { background: none !important; color: #000 !important; }
      table { page-break-inside: auto; } tr { page-break-inside: avoid; }
    }
    """
}
