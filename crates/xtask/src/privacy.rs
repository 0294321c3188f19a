//! The privacy policy as the extension ships it: `docs/privacy.md` (en) and
//! `docs/privacy.fr.md` (fr) turned into `privacy/{en,fr}.html`. The markdown is
//! the small part these two files use: headings, paragraphs, lists, `**bold**`
//! and `code`.

/// The policy pages: (file name, language, source under `docs/`).
pub const PAGES: [(&str, &str, &str); 2] = [
    ("en.html", "en", "privacy.md"),
    ("fr.html", "fr", "privacy.fr.md"),
];

pub fn page(markdown: &str, lang: &str) -> String {
    let mut title = String::from("Reciprocity");
    let mut body = String::new();
    for block in markdown
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        if let Some(h) = block.strip_prefix("# ") {
            title = h.to_string();
            body += &format!("<h1>{}</h1>\n", inline(h));
        } else if let Some(h) = block.strip_prefix("## ") {
            body += &format!("<h2>{}</h2>\n", inline(h));
        } else if block.starts_with("- ") {
            body += "<ul>\n";
            let mut items: Vec<String> = Vec::new();
            for line in block.lines() {
                match line.strip_prefix("- ") {
                    Some(item) => items.push(item.trim().to_string()),
                    None => {
                        if let Some(last) = items.last_mut() {
                            last.push(' ');
                            last.push_str(line.trim());
                        }
                    }
                }
            }
            for item in items {
                body += &format!("<li>{}</li>\n", inline(&item));
            }
            body += "</ul>\n";
        } else {
            let text: Vec<&str> = block.lines().map(str::trim).collect();
            body += &format!("<p>{}</p>\n", inline(&text.join(" ")));
        }
    }
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<style>
body {{ margin: 0 auto; max-width: 760px; padding: 32px 24px; font: 16px/1.55 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }}
h2 {{ margin-top: 28px; }}
li {{ margin: 6px 0; }}
code {{ font-size: 90%; }}
</style>
</head>
<body>
<main>
{body}</main>
</body>
</html>
"#,
        title = escape(&title)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `**bold**` and `code`, on escaped text.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in escape(s).split('`').enumerate() {
        if i % 2 == 1 {
            out += &format!("<code>{part}</code>");
            continue;
        }
        for (j, piece) in part.split("**").enumerate() {
            if j % 2 == 1 {
                out += &format!("<strong>{piece}</strong>");
            } else {
                out += piece;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lists_and_inline_marks() {
        let html = page(
            "# Title\n\nA para\nwrapped.\n\n## Kept\n\n- **Only** what\n  loads, `graphql.rs`.\n- <b>two</b>",
            "en",
        );
        assert!(html.contains("<title>Title</title>"));
        assert!(html.contains("<p>A para wrapped.</p>"));
        assert!(html.contains("<h2>Kept</h2>"));
        assert!(
            html.contains("<li><strong>Only</strong> what loads, <code>graphql.rs</code>.</li>")
        );
        assert!(html.contains("<li>&lt;b&gt;two&lt;/b&gt;</li>"));
    }
}
