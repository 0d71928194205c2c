/// The report's one stylesheet: readable on a phone, colour never the only signal (every
/// status is also a word or a shape), and a print form that makes `index.html` a one-week
/// worklist (SPEC §13). Chinese text (SPEC §15) is drawn by the CJK fonts a stock Debian
/// server has (`fonts-noto-cjk`, or `fonts-wqy-zenhei`; the package recommends one), never as
/// boxes; every colour keeps WCAG AA contrast (4.5:1) on white.
public enum ReportStyle {
    public static let fileName = "report.css"

    /// Latin first (DejaVu, as before), then Simplified Chinese: Noto Sans CJK SC from
    /// `fonts-noto-cjk`, WenQuanYi Zen Hei from `fonts-wqy-zenhei`.
    static let fonts = #""DejaVu Sans", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", system-ui, sans-serif"#

    public static let css = """
        :root { --ink: #1b1b1b; --muted: #5a5a5a; --line: #d0d0d0; --overdue: #b3261e; --due: #a15c00; --done: #1d6b2f;
                --missed: #6b1d5e; --upcoming: #2f5d9e; --cancelled: #6b6b6b; --signal: #b3261e; }
        * { box-sizing: border-box; }
        body { font: 15px/1.45 \(fonts); color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 12px; }
        h1 { font-size: 1.5em; margin: 0.2em 0; } h2 { font-size: 1.15em; margin: 1.4em 0 0.4em; border-bottom: 1px solid var(--line); }
        .meta { color: var(--muted); margin: 0 0 1em; }
        .scroll { overflow-x: auto; }
        .scroll:focus-visible { outline: 2px solid var(--upcoming); outline-offset: 2px; }
        table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
        table.visits td:nth-child(7), table.visits td:nth-child(8) { white-space: normal; }
        th { background: #f3f3f3; }
        td.num, th.num { text-align: right; }
        .alarm { border: 2px solid var(--signal); padding: 8px 12px; margin: 8px 0; }
        .alarm strong { color: var(--signal); }
        .none { color: var(--muted); }
        .status { font-weight: 600; white-space: nowrap; }
        .status-overdue { color: var(--overdue); } .status-due { color: var(--due); } .status-done { color: var(--done); }
        .status-missed { color: var(--missed); } .status-upcoming { color: var(--upcoming); } .status-cancelled { color: var(--cancelled); }
        .counts { display: flex; flex-wrap: wrap; gap: 16px; }
        .counts table { width: auto; }
        svg { width: 100%; height: auto; display: block; }
        svg text { font: 11px \(fonts); fill: var(--ink); }
        .legend { color: var(--muted); font-size: 0.9em; }
        nav a { margin-right: 1em; }
        @media print {
          body { max-width: none; font-size: 11pt; }
          nav, .counts, .quality, .screen-only, .later { display: none; }
          h2 { break-after: avoid; } tr { break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
        }
        """
}
