/// The page's stylesheet, inline so the report has no external asset. Light and dark schemes;
/// wide tables scroll inside their box instead of widening the page. No `<` or `&` here: the page
/// must stay well-formed XML.
enum HTMLReportStyle {
    static let css = """
        :root { color-scheme: light dark; --fg: #1d1d1f; --bg: #ffffff; --muted: #666666; --line: #d9d9d9;
          --note-bg: #fff4d6; --note-line: #e0a800; --code-bg: #f5f5f7; }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e8e8ea; --bg: #1b1b1d; --muted: #a0a0a5; --line: #3a3a3e; --note-bg: #3a3020;
            --note-line: #c99700; --code-bg: #26262a; }
          svg.chart { background: #ffffff; border-radius: 6px; }
        }
        body { margin: 0; background: var(--bg); color: var(--fg);
          font: 15px/1.5 system-ui, -apple-system, Segoe UI, Roboto, sans-serif; }
        main { max-width: 1180px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 1.7em; margin: 0.2em 0 0.6em; }
        h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 1.1em; margin-top: 1.4em; }
        h4 { font-size: 1em; margin: 0 0 6px; }
        .caveat { background: var(--note-bg); border-left: 4px solid var(--note-line); padding: 8px 12px;
          margin: 10px 0; }
        .hint { color: var(--muted); font-size: 0.9em; }
        .table { overflow-x: auto; margin: 12px 0; }
        table { border-collapse: collapse; font-size: 0.92em; }
        th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
        td.long { overflow-wrap: anywhere; min-width: 12em; }
        thead th.num { white-space: normal; }
        tbody th { min-width: 6em; }
        thead th { border-bottom: 2px solid var(--line); }
        tbody th { font-weight: 600; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        figure { margin: 16px 0; max-width: 100%; }
        svg.chart { width: 100%; height: auto; }
        .example { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
        .example .label { margin: 8px 0 2px; font-weight: 600; font-size: 0.9em; color: var(--muted); }
        pre { background: var(--code-bg); padding: 8px 10px; border-radius: 4px; overflow-x: auto;
          white-space: pre-wrap; word-break: break-word; font-size: 0.88em; margin: 0; }
        ul.targets { list-style: none; padding: 0; margin: 12px 0; }
        ul.targets li { padding: 6px 12px; margin: 4px 0; border-left: 4px solid var(--line); }
        ul.targets li strong { display: inline-block; min-width: 8.5em; }
        ul.targets li.met { border-left-color: #009E73; }
        ul.targets li.met strong { color: #007a5a; }
        ul.targets li.not-met { border-left-color: #D55E00; }
        ul.targets li.not-met strong { color: #c04f00; }
        ul.targets li.unmeasured strong { color: var(--muted); }
        details { margin: 10px 0; }
        summary { cursor: pointer; font-weight: 600; }
        footer { margin-top: 3em; color: var(--muted); font-size: 0.85em; }

        """
}
