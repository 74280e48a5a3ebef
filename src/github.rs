//! The GitHub client: the only code of the tool that talks to the network
//! (`sync` reads through it; `tracking-issues` reads and, with `--apply`,
//! creates labels, milestones and issues and edits issues).
//!
//! REST API v3 for issues and their comments (every page, following the
//! `Link: <…>; rel="next"` header), GraphQL `nodes(ids:)` for the one fact
//! REST does not give (whether a comment is minimized). Blocking HTTP over
//! rustls (`ureq`): a sync makes a few hundred requests, a few at a time on
//! plain threads, so no async runtime is needed.
//!
//! The token is sent as `Authorization: Bearer …` and nowhere else: it is
//! not part of any error, message or `Debug` output.

use crate::tracking::{Comment, Issue, State};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Requests in flight at once, at most.
pub(crate) const MAX_IN_FLIGHT: usize = 4;
/// Tries per request (the first one included).
pub(crate) const TRIES: u32 = 3;
/// The longest a rate limit may make us wait, by default.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(60);
/// GraphQL ids per `nodes` request, GitHub's limit.
pub(crate) const NODES_PER_QUERY: usize = 100;

const USER_AGENT: &str = concat!("mdbook-goals/", env!("CARGO_PKG_VERSION"));
const API_VERSION: &str = "2022-11-28";
/// Largest response body read (a page of 100 long comments fits easily).
const BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// A GitHub token. Its `Debug` form hides the value.
#[derive(Clone)]
pub struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<hidden>)")
    }
}

impl Token {
    pub fn new(value: impl Into<String>) -> Token {
        Token(value.into())
    }
}

/// How to provide a token, for the error that says none was found.
pub(crate) const TOKEN_HELP: &str = "set `GITHUB_TOKEN`, set `GH_TOKEN`, or log in with the GitHub CLI (`gh auth login`) so that `gh auth token` prints one";

/// The token: `GITHUB_TOKEN`, else `GH_TOKEN`, else what `gh auth token`
/// prints when `gh` is on `path` (a failing `gh` counts as no token). `var`
/// reads an environment variable; `gh` is not run when a variable is set.
pub(crate) fn find_token(
    var: impl Fn(&str) -> Option<String>,
    path: Option<&std::ffi::OsStr>,
) -> Option<Token> {
    for name in ["GITHUB_TOKEN", "GH_TOKEN"] {
        if let Some(v) = var(name).filter(|v| !v.trim().is_empty()) {
            return Some(Token(v.trim().to_string()));
        }
    }
    let gh = std::env::split_paths(path?)
        .map(|dir| dir.join(if cfg!(windows) { "gh.exe" } else { "gh" }))
        .find(|p| p.is_file())?;
    gh_token(&gh)
}

fn gh_token(gh: &Path) -> Option<Token> {
    let out = std::process::Command::new(gh)
        .args(["auth", "token"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let token = text.trim();
    (out.status.success() && !token.is_empty()).then(|| Token(token.to_string()))
}

/// Why a request failed, in a form that names the URL but never the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Error {
    /// 401.
    Unauthorized { url: String },
    /// 404: the issue does not exist or the token cannot see it.
    NotFound { url: String },
    /// Any other status that is not retried (or still failing after the
    /// last try).
    Status { status: u16, url: String },
    /// A rate limit asks to wait longer than the bound, or is still in
    /// force after the last try.
    RateLimited {
        url: String,
        wait: u64,
        max_wait: u64,
    },
    /// No connection, a reset, a timeout: after the last try.
    Transport { url: String, message: String },
    /// The response is not the JSON expected.
    BadResponse { url: String, message: String },
    /// A `Link: rel="next"` leads away from the API's URL.
    ForeignLink { url: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Unauthorized { url } => write!(
                f,
                "GitHub refused the token (401 Unauthorized at {url}): it is wrong, expired or revoked"
            ),
            Error::NotFound { url } => write!(f, "404 Not Found at {url}"),
            Error::Status { status, url } => write!(f, "GitHub answered {status} at {url}"),
            Error::RateLimited {
                url,
                wait,
                max_wait,
            } => write!(
                f,
                "rate limited at {url}: GitHub asks to wait {wait} s, more than the {max_wait} s this run waits (`--max-wait`); try again later"
            ),
            Error::Transport { url, message } => {
                write!(f, "cannot reach {url} after {TRIES} tries: {message}")
            }
            Error::BadResponse { url, message } => {
                write!(f, "unexpected response from {url}: {message}")
            }
            Error::ForeignLink { url } => write!(
                f,
                "a pagination link leads outside the API (`{url}`); not following it with the token"
            ),
        }
    }
}

/// How the client behaves.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// API base URL without a trailing `/` (`https://api.github.com`).
    pub api_url: String,
    /// The longest wait a rate limit may impose; also caps the backoff
    /// between retries.
    pub max_wait: Duration,
}

/// Why [`Client::connect`] made no client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SetupError {
    /// No token was found (a failure of the run).
    NoToken,
    /// The API URL is not an `http(s)://` URL (a usage error).
    BadUrl(String),
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetupError::NoToken => write!(f, "no GitHub token: {TOKEN_HELP}"),
            SetupError::BadUrl(url) => {
                write!(f, "the API URL must start with `https://`, found `{url}`")
            }
        }
    }
}

/// A GitHub client.
pub(crate) struct Client {
    agent: ureq::Agent,
    api_url: String,
    token: Token,
    max_wait: Duration,
    /// The latest `Date` header seen.
    latest_date: Mutex<Option<Timestamp>>,
    /// Called with a line to show (waits, retries).
    notify: Box<dyn Fn(&str) + Send + Sync>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_url", &self.api_url)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

/// The HTTP methods the client sends.
#[derive(Clone, Copy, Debug)]
enum Method {
    Get,
    Post,
    Patch,
}

/// A milestone of a repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneRef {
    pub number: u64,
    pub title: String,
}

/// The fields of an issue that an edit can change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueFields {
    pub title: String,
    /// Label names.
    pub labels: Vec<String>,
    /// Logins.
    pub assignees: Vec<String>,
    /// The milestone's title.
    pub milestone: Option<String>,
    /// Empty when GitHub has none (`null`).
    pub body: String,
}

/// One successful response.
struct Reply {
    json: Value,
    next: Option<String>,
}

impl Client {
    pub(crate) fn new(
        options: Options,
        token: Token,
        notify: Box<dyn Fn(&str) + Send + Sync>,
    ) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .timeout_global(Some(Duration::from_secs(120)))
            .max_redirects(3)
            .build();
        Client {
            agent: ureq::Agent::new_with_config(config),
            api_url: options.api_url.trim_end_matches('/').to_string(),
            token,
            max_wait: options.max_wait,
            latest_date: Mutex::new(None),
            notify,
        }
    }

    /// A client for `api_url` with the token found, or why there is none.
    pub(crate) fn connect(
        api_url: String,
        max_wait: Duration,
        token: Option<Token>,
        notify: Box<dyn Fn(&str) + Send + Sync>,
    ) -> Result<Client, SetupError> {
        let token = token.ok_or(SetupError::NoToken)?;
        if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
            return Err(SetupError::BadUrl(api_url));
        }
        Ok(Client::new(Options { api_url, max_wait }, token, notify))
    }

    /// The latest `Date` header of GitHub's responses so far: the time the
    /// data was fetched, by GitHub's clock.
    pub(crate) fn latest_date(&self) -> Option<Timestamp> {
        *self.latest_date.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn note_date(&self, response: &ureq::http::Response<ureq::Body>) -> Option<Timestamp> {
        let date = header(response, "date").and_then(|d| {
            jiff::fmt::rfc2822::DateTimeParser::new()
                .parse_timestamp(d)
                .ok()
        })?;
        let mut latest = self.latest_date.lock().unwrap_or_else(|e| e.into_inner());
        if latest.is_none_or(|l| date > l) {
            *latest = Some(date);
        }
        Some(date)
    }

    /// The backoff before retry `n` (0-based): 1 s, 2 s, … capped by the
    /// wait bound.
    fn backoff(&self, n: u32) -> Duration {
        Duration::from_secs(1u64 << n.min(6)).min(self.max_wait)
    }

    /// One reading request (a `GET`, or a GraphQL query as a `POST` with
    /// `body`), retried as [`Client::send`] says.
    fn request(&self, url: &str, body: Option<&Value>) -> Result<Reply, Error> {
        match body {
            Some(b) => self.send(Method::Post, url, Some(b), true),
            None => self.send(Method::Get, url, None, true),
        }
    }

    /// One request. Rate limits wait (within the bound) and try again.
    /// With `retry`, 5xx answers and transport errors back off and try
    /// again too; changes are sent with `retry` off, since a request that
    /// got no answer may have been carried out (a second issue must never
    /// be created by a retry).
    fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
        retry: bool,
    ) -> Result<Reply, Error> {
        let mut tries = 0;
        loop {
            tries += 1;
            let last = tries >= TRIES || (!retry && tries > 1);
            let sent = match (method, body) {
                (Method::Get, _) => self.with_headers(self.agent.get(url)).call(),
                (Method::Post, b) => self
                    .with_headers(self.agent.post(url))
                    .header("Content-Type", "application/json")
                    .send(b.map(Value::to_string).unwrap_or_default().as_bytes()),
                (Method::Patch, b) => self
                    .with_headers(self.agent.patch(url))
                    .header("Content-Type", "application/json")
                    .send(b.map(Value::to_string).unwrap_or_default().as_bytes()),
            };
            let last_unretried = last || !retry;
            let mut response = match sent {
                Ok(r) => r,
                Err(e) => {
                    if last_unretried {
                        return Err(Error::Transport {
                            url: url.to_string(),
                            message: e.to_string(),
                        });
                    }
                    (self.notify)(&format!("{url}: {e}; trying again"));
                    std::thread::sleep(self.backoff(tries - 1));
                    continue;
                }
            };
            let date = self.note_date(&response);
            let status = response.status().as_u16();
            match status {
                200..=299 => {
                    let next = header(&response, "link").and_then(next_link);
                    if let Some(n) = &next
                        && !n.starts_with(&format!("{}/", self.api_url))
                    {
                        return Err(Error::ForeignLink { url: n.clone() });
                    }
                    let text = response
                        .body_mut()
                        .with_config()
                        .limit(BODY_LIMIT)
                        .read_to_string();
                    let json = match text {
                        Ok(t) => serde_json::from_str(&t).map_err(|e| e.to_string()),
                        Err(e) => Err(e.to_string()),
                    };
                    return match json {
                        Ok(json) => Ok(Reply { json, next }),
                        Err(message) if !last_unretried => {
                            (self.notify)(&format!("{url}: {message}; trying again"));
                            std::thread::sleep(self.backoff(tries - 1));
                            continue;
                        }
                        Err(message) => Err(Error::BadResponse {
                            url: url.to_string(),
                            message,
                        }),
                    };
                }
                401 => return Err(Error::Unauthorized { url: url.into() }),
                404 => return Err(Error::NotFound { url: url.into() }),
                403 | 429 => {
                    let Some(wait) = rate_limit_wait(&response, date) else {
                        return Err(Error::Status {
                            status,
                            url: url.into(),
                        });
                    };
                    if wait > self.max_wait.as_secs() || last {
                        return Err(Error::RateLimited {
                            url: url.into(),
                            wait,
                            max_wait: self.max_wait.as_secs(),
                        });
                    }
                    (self.notify)(&format!(
                        "rate limited by GitHub: waiting {wait} s (at most {} s)",
                        self.max_wait.as_secs()
                    ));
                    std::thread::sleep(Duration::from_secs(wait));
                }
                500..=599 if !last_unretried => {
                    (self.notify)(&format!("{url}: GitHub answered {status}; trying again"));
                    std::thread::sleep(self.backoff(tries - 1));
                }
                _ => {
                    return Err(Error::Status {
                        status,
                        url: url.into(),
                    });
                }
            }
        }
    }

    fn with_headers<B>(&self, r: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        r.header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", API_VERSION)
            .header("Authorization", format!("Bearer {}", self.token.0))
    }

    /// The fields of one issue that an edit can change (only those are
    /// read, so nothing else of the answer has to be there).
    pub(crate) fn issue_fields(&self, repository: &str, number: u64) -> Result<IssueFields, Error> {
        let url = format!("{}/repos/{repository}/issues/{number}", self.api_url);
        let reply = self.request(&url, None)?;
        let raw: RawFields = decode(&url, reply.json)?;
        Ok(raw.into_fields())
    }

    /// [`Client::issue_fields`] of every issue of `numbers` in
    /// `repository`, [`MAX_IN_FLIGHT`] at a time, in the order given. The
    /// failure says which one failed.
    pub(crate) fn issues_fields(
        &self,
        repository: &str,
        numbers: &[u64],
    ) -> Result<Vec<IssueFields>, (usize, Error)> {
        parallel_indexed(numbers, |n| self.issue_fields(repository, *n))
    }

    /// Every item of a paginated list, following `Link: rel="next"`.
    fn all_pages(&self, url: String) -> Result<Vec<Value>, Error> {
        let mut items = Vec::new();
        let mut next = Some(url);
        while let Some(page_url) = next {
            let reply = self.request(&page_url, None)?;
            let page: Vec<Value> = decode(&page_url, reply.json)?;
            items.extend(page);
            next = reply.next;
        }
        Ok(items)
    }

    /// The names of every label of the repository.
    pub(crate) fn labels(&self, repository: &str) -> Result<Vec<String>, Error> {
        let url = format!("{}/repos/{repository}/labels?per_page=100", self.api_url);
        let items = self.all_pages(url.clone())?;
        let named: Vec<Named> = decode(&url, Value::Array(items))?;
        Ok(named.into_iter().map(|n| n.name).collect())
    }

    /// Creates a label; `Ok(false)` when GitHub answers 422 (it exists
    /// already, perhaps spelled with another case).
    pub(crate) fn create_label(
        &self,
        repository: &str,
        name: &str,
        color: &str,
    ) -> Result<bool, Error> {
        let url = format!("{}/repos/{repository}/labels", self.api_url);
        let body = serde_json::json!({ "name": name, "color": color });
        match self.send(Method::Post, &url, Some(&body), false) {
            Ok(_) => Ok(true),
            Err(Error::Status { status: 422, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Every milestone of the repository, open and closed.
    pub(crate) fn milestones(&self, repository: &str) -> Result<Vec<MilestoneRef>, Error> {
        let url = format!(
            "{}/repos/{repository}/milestones?state=all&per_page=100",
            self.api_url
        );
        let items = self.all_pages(url.clone())?;
        let raw: Vec<RawMilestone> = decode(&url, Value::Array(items))?;
        Ok(raw
            .into_iter()
            .map(|m| MilestoneRef {
                number: m.number,
                title: m.title,
            })
            .collect())
    }

    /// Creates a milestone and returns it.
    pub(crate) fn create_milestone(
        &self,
        repository: &str,
        title: &str,
    ) -> Result<MilestoneRef, Error> {
        let url = format!("{}/repos/{repository}/milestones", self.api_url);
        let body = serde_json::json!({ "title": title });
        let reply = self.send(Method::Post, &url, Some(&body), false)?;
        let m: RawMilestone = decode(&url, reply.json)?;
        Ok(MilestoneRef {
            number: m.number,
            title: m.title,
        })
    }

    /// Creates an issue from `fields` (GitHub's: `title`, `body`,
    /// `labels`, `assignees`, `milestone`) and returns its number.
    pub(crate) fn create_issue(&self, repository: &str, fields: &Value) -> Result<u64, Error> {
        let url = format!("{}/repos/{repository}/issues", self.api_url);
        let reply = self.send(Method::Post, &url, Some(fields), false)?;
        let created: Created = decode(&url, reply.json)?;
        Ok(created.number)
    }

    /// Changes the `fields` of an issue that are given; the others stay.
    pub(crate) fn update_issue(
        &self,
        repository: &str,
        number: u64,
        fields: &Value,
    ) -> Result<(), Error> {
        let url = format!("{}/repos/{repository}/issues/{number}", self.api_url);
        self.send(Method::Patch, &url, Some(fields), false)
            .map(|_| ())
    }

    /// One issue (or pull request) with all of its comments; `minimized`
    /// is left `false` (see [`Client::minimized`]).
    pub(crate) fn issue(&self, repository: &str, number: u64) -> Result<Issue, Error> {
        let url = format!("{}/repos/{repository}/issues/{number}", self.api_url);
        let reply = self.request(&url, None)?;
        let raw: RawIssue = decode(&url, reply.json)?;
        let mut comments = Vec::new();
        let mut next = Some(format!("{url}/comments?per_page=100"));
        while let Some(page_url) = next {
            let reply = self.request(&page_url, None)?;
            let page: Vec<RawComment> = decode(&page_url, reply.json)?;
            comments.extend(page.into_iter().map(RawComment::into_comment));
            next = reply.next;
        }
        Ok(raw.into_issue(repository, comments))
    }

    /// The node ids (of `ids`) GitHub reports as minimized, asked in
    /// batches of [`NODES_PER_QUERY`], [`MAX_IN_FLIGHT`] at a time.
    pub(crate) fn minimized(&self, ids: &[String]) -> Result<BTreeSet<String>, Error> {
        let url = format!("{}/graphql", self.api_url);
        let batches: Vec<&[String]> = ids.chunks(NODES_PER_QUERY).collect();
        let results = parallel(&batches, |batch| {
            let body = serde_json::json!({
                "query": "query($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { id isMinimized } } }",
                "variables": { "ids": batch },
            });
            let reply = self.request(&url, Some(&body))?;
            if let Some(errors) = reply.json.get("errors") {
                return Err(Error::BadResponse {
                    url: url.clone(),
                    message: format!("GraphQL errors: {}", first_message(errors)),
                });
            }
            let Some(nodes) = reply.json.pointer("/data/nodes").and_then(Value::as_array) else {
                return Err(Error::BadResponse {
                    url: url.clone(),
                    message: "no `data.nodes` in the answer".into(),
                });
            };
            Ok(nodes
                .iter()
                .filter(|n| n.get("isMinimized").and_then(Value::as_bool) == Some(true))
                .filter_map(|n| n.get("id").and_then(Value::as_str).map(str::to_string))
                .collect::<Vec<_>>())
        })?;
        Ok(results.into_iter().flatten().collect())
    }

    /// Every issue of `refs` (`(repository, number)`), [`MAX_IN_FLIGHT`] at
    /// a time, in the order given; `done` is called after each. The first
    /// failure (by position in `refs`) stops the run.
    pub(crate) fn issues(
        &self,
        refs: &[(String, u64)],
        done: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Issue>, (usize, Error)> {
        let count = AtomicUsize::new(0);
        parallel_indexed(refs, |(repo, n)| {
            let issue = self.issue(repo, *n);
            done(count.fetch_add(1, Ordering::SeqCst) + 1);
            issue
        })
    }
}

/// The first `message` of a GraphQL `errors` array.
fn first_message(errors: &Value) -> String {
    errors
        .pointer("/0/message")
        .and_then(Value::as_str)
        .unwrap_or("unknown error")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

fn header<'r>(response: &'r ureq::http::Response<ureq::Body>, name: &str) -> Option<&'r str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// How long a 403/429 asks to wait: `retry-after` seconds, or until
/// `x-ratelimit-reset` when `x-ratelimit-remaining` is 0 (measured from the
/// response's `Date`, GitHub's clock, never ours). `None` when the answer
/// is not a rate limit.
fn rate_limit_wait(
    response: &ureq::http::Response<ureq::Body>,
    date: Option<Timestamp>,
) -> Option<u64> {
    if let Some(secs) = header(response, "retry-after").and_then(|v| v.trim().parse().ok()) {
        return Some(secs);
    }
    if header(response, "x-ratelimit-remaining").map(str::trim) == Some("0") {
        let reset: i64 = header(response, "x-ratelimit-reset")?.trim().parse().ok()?;
        let now = date?.as_second();
        return Some(u64::try_from(reset - now).unwrap_or(0).max(1));
    }
    None
}

/// The `rel="next"` target of a `Link` header.
pub(crate) fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| matches!(p.trim(), "rel=\"next\"" | "rel=next"));
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_string())
    })
}

fn decode<T: serde::de::DeserializeOwned>(url: &str, json: Value) -> Result<T, Error> {
    serde_json::from_value(json).map_err(|e| Error::BadResponse {
        url: url.to_string(),
        message: e.to_string(),
    })
}

/// Runs `f` on every item, [`MAX_IN_FLIGHT`] at a time, stopping at the
/// first failure; results in the order of `items`.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, Error> + Sync,
) -> Result<Vec<R>, Error> {
    parallel_indexed(items, f).map_err(|(_, e)| e)
}

/// Like [`parallel`], and the failure says which item failed (the first by
/// position among those that failed).
fn parallel_indexed<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, Error> + Sync,
) -> Result<Vec<R>, (usize, Error)> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<Option<Result<R, Error>>>> =
        Mutex::new((0..items.len()).map(|_| None).collect());
    let workers = MAX_IN_FLIGHT.min(items.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while !failed.load(Ordering::SeqCst) {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    if r.is_err() {
                        failed.store(true, Ordering::SeqCst);
                    }
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut out = Vec::with_capacity(items.len());
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Some(Ok(v)) => out.push(v),
            Some(Err(e)) => return Err((i, e)),
            None => {}
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
struct User {
    login: String,
}

#[derive(Deserialize)]
struct Milestone {
    title: String,
}

#[derive(Deserialize)]
struct RawMilestone {
    number: u64,
    #[serde(default)]
    title: String,
}

#[derive(Deserialize)]
struct RawFields {
    title: String,
    #[serde(default)]
    labels: Vec<Named>,
    #[serde(default)]
    assignees: Vec<User>,
    milestone: Option<Milestone>,
    body: Option<String>,
}

impl RawFields {
    fn into_fields(self) -> IssueFields {
        IssueFields {
            title: self.title,
            labels: self.labels.into_iter().map(|l| l.name).collect(),
            assignees: self.assignees.into_iter().map(|a| a.login).collect(),
            milestone: self.milestone.map(|m| m.title),
            body: self.body.unwrap_or_default(),
        }
    }
}

#[derive(Deserialize)]
struct Created {
    number: u64,
}

#[derive(Deserialize)]
struct RawIssue {
    number: u64,
    #[serde(flatten)]
    fields: RawFields,
    state: State,
    state_reason: Option<String>,
    html_url: String,
    created_at: Timestamp,
    closed_at: Option<Timestamp>,
}

impl RawIssue {
    fn into_issue(self, repository: &str, comments: Vec<Comment>) -> Issue {
        let body = self.fields.body.clone();
        let f = self.fields.into_fields();
        Issue {
            repository: repository.to_string(),
            number: self.number,
            title: f.title,
            state: self.state,
            state_reason: self.state_reason,
            html_url: self.html_url,
            labels: f.labels,
            assignees: f.assignees,
            milestone: f.milestone,
            body,
            created_at: self.created_at,
            closed_at: self.closed_at,
            comments,
        }
    }
}

#[derive(Deserialize)]
struct RawComment {
    id: u64,
    node_id: String,
    user: Option<User>,
    author_association: String,
    created_at: Timestamp,
    updated_at: Timestamp,
    html_url: String,
    body: Option<String>,
}

impl RawComment {
    fn into_comment(self) -> Comment {
        Comment {
            id: self.id,
            node_id: self.node_id,
            author: self.user.map(|u| u.login),
            author_association: self.author_association,
            created_at: self.created_at,
            updated_at: self.updated_at,
            html_url: self.html_url,
            body: self.body.unwrap_or_default(),
            minimized: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_are_found() {
        let link = "<https://api.x/r?page=2>; rel=\"next\", <https://api.x/r?page=5>; rel=\"last\"";
        assert_eq!(next_link(link).as_deref(), Some("https://api.x/r?page=2"));
        assert_eq!(
            next_link(
                "<https://api.x/r?page=1>; rel=\"prev\", <https://api.x/r?page=1>; rel=\"first\""
            ),
            None
        );
    }

    #[test]
    fn the_token_never_shows() {
        let t = Token::new("ghp_secret");
        assert!(!format!("{t:?}").contains("secret"));
        let c = Client::new(
            Options {
                api_url: "http://127.0.0.1:9".into(),
                max_wait: Duration::ZERO,
            },
            t,
            Box::new(|_| {}),
        );
        assert!(!format!("{c:?}").contains("secret"));
    }

    #[test]
    fn token_sources_in_order_and_gh_only_without_variables() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("ran");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let gh = dir.path().join("gh");
            std::fs::write(
                &gh,
                format!("#!/bin/sh\n: > '{}'\necho from-gh\n", marker.display()),
            )
            .unwrap();
            std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = dir.path().as_os_str();
        let t = find_token(env(&[("GITHUB_TOKEN", "a"), ("GH_TOKEN", "b")]), Some(path));
        assert_eq!(t.unwrap().0, "a");
        let t = find_token(env(&[("GH_TOKEN", "b")]), Some(path));
        assert_eq!(t.unwrap().0, "b");
        assert!(!marker.exists(), "gh ran although a variable was set");
        #[cfg(unix)]
        {
            let t = find_token(env(&[]), Some(path));
            assert_eq!(t.unwrap().0, "from-gh");
            assert!(marker.exists());
        }
        let empty = tempfile::tempdir().unwrap();
        assert!(find_token(env(&[]), Some(empty.path().as_os_str())).is_none());
        assert!(find_token(env(&[]), None).is_none());
    }
}
