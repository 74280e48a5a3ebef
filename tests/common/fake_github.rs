//! A fake GitHub API for tests: an HTTP/1.1 server on 127.0.0.1 inside the
//! test process, serving GitHub-shaped JSON. Nothing leaves the machine.
//!
//! - Issues and their comments (`GET /repos/{o}/{r}/issues/{n}` and
//!   `…/comments?per_page=N&page=P`, paginated with a `Link` header like
//!   GitHub's), and GraphQL `nodes(ids:)` answering `isMinimized`.
//! - Scripts: "answer the next N requests whose path starts with P like
//!   this" (a status with headers, or a connection closed without answer),
//!   and custom routes for endpoints the built-in data does not cover
//!   (issue creation and edits, labels, milestones…).
//! - Every request is recorded (method, path, headers, body) with the
//!   `Authorization` value replaced by whether it carried the expected
//!   token, and the server counts how many requests were in flight at once.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The token the fake accepts.
pub const TOKEN: &str = "fake-token-0123456789";
/// The `Date` header of every answer (so snapshots are reproducible).
pub const DATE: &str = "Sun, 01 Mar 2026 12:00:00 GMT";

/// A request as the fake saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Path and query, e.g. `/repos/o/r/issues/1/comments?per_page=100`.
    pub path: String,
    /// Lower-case names. `authorization` is `Bearer <expected>` or
    /// `Bearer <other>`, never the value sent.
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The path without the query.
    pub fn route(&self) -> &str {
        self.path.split('?').next().unwrap_or("")
    }

    fn query(&self, key: &str) -> Option<usize> {
        let query = self.path.split_once('?')?.1;
        query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == key).then(|| v.parse().ok()).flatten()
        })
    }
}

/// An answer.
#[derive(Clone, Debug)]
pub enum Reply {
    Json {
        status: u16,
        headers: Vec<(String, String)>,
        body: Value,
    },
    /// Close the connection without answering (a reset, as the client sees it).
    Close,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Reply {
        Reply::Json {
            status,
            headers: Vec::new(),
            body,
        }
    }

    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Json {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.to_string(), value.to_string()));
                Reply::Json {
                    status,
                    headers,
                    body,
                }
            }
            Reply::Close => Reply::Close,
        }
    }
}

type Handler = Box<dyn Fn(&Request, &mut Data) -> Reply + Send>;

struct Script {
    method: String,
    prefix: String,
    left: usize,
    reply: Reply,
}

/// What the fake serves.
#[derive(Default)]
pub struct Data {
    /// (`owner/repo`, number) → the issue's JSON (without comments).
    pub issues: BTreeMap<(String, u64), Value>,
    pub comments: BTreeMap<(String, u64), Vec<Value>>,
    /// Node ids GraphQL reports as minimized.
    pub minimized: BTreeSet<String>,
    /// Send no `Date` header.
    pub no_date: bool,
}

struct Inner {
    data: Mutex<Data>,
    scripts: Mutex<Vec<Script>>,
    routes: Mutex<Vec<(String, String, Handler)>>,
    log: Mutex<Vec<Request>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    stop: AtomicBool,
    /// Time spent on each request, so overlapping requests overlap.
    delay: Mutex<Duration>,
}

/// A running fake. Stops when dropped.
pub struct FakeGithub {
    /// `http://127.0.0.1:PORT`, for `--api-url`.
    pub url: String,
    inner: Arc<Inner>,
}

/// A GitHub-shaped issue.
pub fn issue_json(repo: &str, number: u64, title: &str, state: &str, body: &str) -> Value {
    json!({
        "number": number,
        "title": title,
        "state": state,
        "state_reason": if state == "closed" { json!("completed") } else { Value::Null },
        "html_url": format!("https://github.com/{repo}/issues/{number}"),
        "labels": [{"name": "C-tracking-issue"}],
        "assignees": [{"login": "ada"}],
        "milestone": {"title": "2027"},
        "body": body,
        "created_at": "2026-01-05T10:00:00Z",
        "closed_at": if state == "closed" { json!("2026-02-20T10:00:00Z") } else { Value::Null },
        "user": {"login": "ada"},
    })
}

/// A GitHub-shaped comment; ids grow with `id`, times with `minute`.
pub fn comment_json(repo: &str, number: u64, id: u64, minute: u64, body: &str) -> Value {
    let at = format!(
        "2026-02-{:02}T{:02}:{:02}:00Z",
        1 + minute / 1440 % 27,
        minute / 60 % 24,
        minute % 60
    );
    json!({
        "id": id,
        "node_id": format!("IC_{id}"),
        "user": {"login": "ada"},
        "author_association": "MEMBER",
        "created_at": at,
        "updated_at": at,
        "html_url": format!("https://github.com/{repo}/issues/{number}#issuecomment-{id}"),
        "body": body,
    })
}

impl FakeGithub {
    pub fn start() -> FakeGithub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let inner = Arc::new(Inner {
            data: Mutex::new(Data::default()),
            scripts: Mutex::new(Vec::new()),
            routes: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            delay: Mutex::new(Duration::from_millis(2)),
        });
        let server = inner.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if server.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let conn = server.clone();
                std::thread::spawn(move || serve(&conn, stream));
            }
        });
        FakeGithub { url, inner }
    }

    /// Changes the served data.
    pub fn data(&self, f: impl FnOnce(&mut Data)) {
        f(&mut self.inner.data.lock().unwrap());
    }

    /// Adds an issue with `comments` comments (ids `number * 100_000 + k`).
    pub fn add_issue(&self, repo: &str, number: u64, body: &str, state: &str, comments: u64) {
        self.data(|d| {
            d.issues.insert(
                (repo.to_string(), number),
                issue_json(
                    repo,
                    number,
                    &format!("Tracking issue {number}"),
                    state,
                    body,
                ),
            );
            let list = (0..comments)
                .map(|k| {
                    comment_json(
                        repo,
                        number,
                        number * 100_000 + k,
                        k,
                        &format!("Update {k} of {number}"),
                    )
                })
                .collect();
            d.comments.insert((repo.to_string(), number), list);
        });
    }

    /// The next `times` requests with this method whose path starts with
    /// `prefix` get `reply` instead of the data.
    pub fn script(&self, method: &str, prefix: &str, times: usize, reply: Reply) {
        self.inner.scripts.lock().unwrap().push(Script {
            method: method.into(),
            prefix: prefix.into(),
            left: times,
            reply,
        });
    }

    /// A custom endpoint: requests with this method whose path starts with
    /// `prefix` go to `handler` (after scripts, before the built-in data).
    pub fn route(
        &self,
        method: &str,
        prefix: &str,
        handler: impl Fn(&Request, &mut Data) -> Reply + Send + 'static,
    ) {
        self.inner
            .routes
            .lock()
            .unwrap()
            .push((method.into(), prefix.into(), Box::new(handler)));
    }

    /// How long each request takes to answer.
    pub fn set_delay(&self, delay: Duration) {
        *self.inner.delay.lock().unwrap() = delay;
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.inner.log.lock().unwrap().clone()
    }

    /// The most requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.inner.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for FakeGithub {
    fn drop(&mut self) {
        self.inner.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn serve(inner: &Inner, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let now = inner.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        inner.max_in_flight.fetch_max(now, Ordering::SeqCst);
        inner.log.lock().unwrap().push(request.clone());
        let delay = *inner.delay.lock().unwrap();
        std::thread::sleep(delay);
        let reply = answer(inner, &request);
        let no_date = inner.data.lock().unwrap().no_date;
        inner.in_flight.fetch_sub(1, Ordering::SeqCst);
        let Reply::Json {
            status,
            headers,
            body,
        } = reply
        else {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        };
        let body = body.to_string();
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        head.push_str("content-type: application/json; charset=utf-8\r\n");
        head.push_str(&format!("content-length: {}\r\n", body.len()));
        if !no_date {
            head.push_str(&format!("date: {DATE}\r\n"));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(body.as_bytes()).is_err()
        {
            return;
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        let k = k.trim().to_ascii_lowercase();
        let mut v = v.trim().to_string();
        if k == "authorization" {
            v = if v == format!("Bearer {TOKEN}") {
                "Bearer <expected>".into()
            } else {
                "Bearer <other>".into()
            };
        }
        headers.insert(k, v);
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn answer(inner: &Inner, request: &Request) -> Reply {
    {
        let mut scripts = inner.scripts.lock().unwrap();
        if let Some(s) = scripts.iter_mut().find(|s| {
            s.left > 0 && s.method == request.method && request.path.starts_with(&s.prefix)
        }) {
            s.left -= 1;
            return s.reply.clone();
        }
    }
    if request.header("authorization") != Some("Bearer <expected>") {
        return Reply::json(401, json!({"message": "Bad credentials"}));
    }
    let mut data = inner.data.lock().unwrap();
    {
        let routes = inner.routes.lock().unwrap();
        if let Some((_, _, handler)) = routes
            .iter()
            .find(|(m, p, _)| *m == request.method && request.path.starts_with(p.as_str()))
        {
            return handler(request, &mut data);
        }
    }
    builtin(request, &data)
}

fn not_found() -> Reply {
    Reply::json(404, json!({"message": "Not Found"}))
}

fn builtin(request: &Request, data: &Data) -> Reply {
    if request.method == "POST" && request.route() == "/graphql" {
        return graphql(request, data);
    }
    if request.method != "GET" {
        return not_found();
    }
    let segments: Vec<&str> = request.route().trim_start_matches('/').split('/').collect();
    let (repo, number, rest) = match segments.as_slice() {
        ["repos", o, r, "issues", n, rest @ ..] => {
            (format!("{o}/{r}"), n.parse::<u64>().ok(), rest)
        }
        _ => return not_found(),
    };
    let Some(number) = number else {
        return not_found();
    };
    let key = (repo.clone(), number);
    match rest {
        [] => data
            .issues
            .get(&key)
            .map_or_else(not_found, |i| Reply::json(200, i.clone())),
        ["comments"] => {
            let Some(all) = data.comments.get(&key) else {
                return not_found();
            };
            let per_page = request.query("per_page").unwrap_or(30).clamp(1, 100);
            let page = request.query("page").unwrap_or(1).max(1);
            let start = (page - 1) * per_page;
            let items: Vec<Value> = all.iter().skip(start).take(per_page).cloned().collect();
            let mut reply = Reply::json(200, Value::Array(items));
            if start + per_page < all.len() {
                let host = request.header("host").unwrap_or("127.0.0.1");
                let next = format!(
                    "<http://{host}/repos/{repo}/issues/{number}/comments?per_page={per_page}&page={}>; rel=\"next\"",
                    page + 1
                );
                reply = reply.with_header("link", &next);
            }
            reply
        }
        _ => not_found(),
    }
}

fn graphql(request: &Request, data: &Data) -> Reply {
    let Ok(body) = serde_json::from_str::<Value>(&request.body) else {
        return Reply::json(400, json!({"message": "Problems parsing JSON"}));
    };
    let Some(ids) = body.pointer("/variables/ids").and_then(Value::as_array) else {
        return Reply::json(
            200,
            json!({"errors": [{"message": "Variable $ids was not provided"}]}),
        );
    };
    if ids.len() > 100 {
        return Reply::json(
            200,
            json!({"errors": [{"message": "You may not provide more than 100 node ids"}]}),
        );
    }
    let nodes: Vec<Value> = ids
        .iter()
        .map(|id| {
            let id = id.as_str().unwrap_or("");
            json!({"id": id, "isMinimized": data.minimized.contains(id)})
        })
        .collect();
    Reply::json(200, json!({"data": {"nodes": nodes}}))
}
