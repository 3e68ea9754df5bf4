//! A fake arXiv on 127.0.0.1 for the tool's tests and benchmark: answers each query from a script
//! chosen by the phrase searched, and logs when each request arrived and each answer left.

#![allow(dead_code)]

use daily_papers_core::arxiv::Paper;
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One answer of the fake.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Close the connection without answering (a reset as the client sees it).
    pub hang_up: bool,
}

impl Reply {
    pub fn feed(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![(
                "Content-Type".into(),
                "application/atom+xml; charset=utf-8".into(),
            )],
            body: body.into(),
            hang_up: false,
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: format!("<html><body>HTTP {status}</body></html>").into_bytes(),
            hang_up: false,
        }
    }

    /// No answer at all: the connection is closed once the request arrived.
    pub fn hang_up() -> Reply {
        Reply {
            hang_up: true,
            ..Reply::status(0)
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A request as the fake saw it.
#[derive(Clone, Debug)]
pub struct Logged {
    /// The phrase between `ti:"` and the next `"`.
    pub phrase: String,
    pub arrived: Instant,
    pub answered: Instant,
    pub user_agent: String,
    pub accept: String,
}

#[derive(Default)]
struct Script {
    /// Per phrase: answers in order; the last one repeats.
    replies: HashMap<String, VecDeque<Reply>>,
    log: Vec<Logged>,
}

pub struct FakeArxiv {
    pub endpoint: String,
    state: Arc<Mutex<Script>>,
}

impl FakeArxiv {
    pub fn start() -> FakeArxiv {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}/api/query", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(Script::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        FakeArxiv { endpoint, state }
    }

    /// Answers for `phrase`, in order (the last one repeats).
    pub fn on(&self, phrase: &str, replies: Vec<Reply>) -> &FakeArxiv {
        self.state
            .lock()
            .unwrap()
            .replies
            .insert(phrase.to_owned(), replies.into());
        self
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

fn serve(stream: TcpStream, state: &Mutex<Script>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let arrived = Instant::now();
        let mut user_agent = String::new();
        let mut accept = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                match name.to_ascii_lowercase().as_str() {
                    "user-agent" => user_agent = value.trim().to_owned(),
                    "accept" => accept = value.trim().to_owned(),
                    _ => {}
                }
            }
        }
        let target = request_line.split(' ').nth(1).unwrap_or_default();
        let query = target.split_once('?').map_or("", |(_, q)| q);
        let search = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("search_query="))
            .map(percent_decode)
            .unwrap_or_default();
        let phrase = search
            .split_once("ti:\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map_or(String::new(), |(p, _)| p.to_owned());
        let reply = {
            let mut script = state.lock().unwrap();
            match script.replies.get_mut(&phrase) {
                Some(queue) if queue.len() > 1 => queue.pop_front().unwrap(),
                Some(queue) => queue.front().cloned().unwrap(),
                None => Reply::status(404),
            }
        };
        if reply.hang_up {
            state.lock().unwrap().log.push(Logged {
                phrase,
                arrived,
                answered: Instant::now(),
                user_agent,
                accept,
            });
            return;
        }
        let mut head = format!(
            "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: keep-alive\r\n",
            reply.status,
            reply.body.len()
        );
        for (name, value) in &reply.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(&reply.body).is_err() {
            return;
        }
        let _ = stream.flush();
        state.lock().unwrap().log.push(Logged {
            phrase,
            arrived,
            answered: Instant::now(),
            user_agent,
            accept,
        });
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An arXiv Atom feed holding these papers (as a README shows them: one date, one category).
pub fn atom_feed(papers: &[Paper]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n<title>fake</title>\n",
    );
    out.push_str(&format!(
        "<opensearch:totalResults>{}</opensearch:totalResults>\n",
        papers.len()
    ));
    for p in papers {
        let updated = if p.updated.contains('T') {
            p.updated.clone()
        } else {
            format!("{}T00:00:00Z", p.updated)
        };
        out.push_str(&format!(
            "<entry>\n<id>{id}</id>\n<updated>{updated}</updated>\n<published>{updated}</published>\n<title>{title}</title>\n<summary>{summary}</summary>\n<author><name>Ada Lovelace</name></author>\n",
            id = escape(&p.abs_link),
            title = escape(&p.title),
            summary = escape(&p.abstract_text),
        ));
        if !p.comment.is_empty() {
            out.push_str(&format!(
                "<arxiv:comment>{}</arxiv:comment>\n",
                escape(&p.comment)
            ));
        }
        out.push_str(&format!(
            "<link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n<link title=\"pdf\" href=\"{}\" rel=\"related\" type=\"application/pdf\"/>\n<arxiv:primary_category term=\"cs.LG\"/>\n<category term=\"cs.LG\"/>\n</entry>\n",
            escape(&p.abs_link),
            escape(&p.pdf_link)
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// A fixture or golden file, by its path in the core crate (`tests/fixtures/...`).
pub fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(root().join("core").join(relative)).unwrap()
}

/// Runs the tool in `dir` with `args`, without the GitHub Actions environment.
pub fn daily_papers(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daily-papers"))
        .current_dir(dir)
        .args(args)
        .env_remove("GITHUB_REPOSITORY")
        .output()
        .unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A config for `topics` (one phrase each) toward `endpoint` with `spacing` seconds.
pub fn config(topics: &[&str], endpoint: &str, spacing: &str, extra: &str) -> String {
    let topics: Vec<String> = topics
        .iter()
        .map(|t| format!("{{\"name\": \"{t}\", \"phrases\": [\"{t}\"]}}"))
        .collect();
    format!(
        "{{\"version\": 1, \"topics\": [{}], \"settings\": {{\"endpoint\": \"{endpoint}\", \"spacing_seconds\": {spacing}{extra}}}}}",
        topics.join(", ")
    )
}

/// The section `## name` of a README, from its heading to the next one.
pub fn section<'a>(readme: &'a str, name: &str) -> &'a str {
    let start = readme
        .find(&format!("\n## {name}\n"))
        .unwrap_or_else(|| panic!("no section {name}:\n{readme}"))
        + 1;
    let end = readme[start + 3..]
        .find("\n## ")
        .map_or(readme.len(), |i| start + 3 + i + 1);
    &readme[start..end]
}
