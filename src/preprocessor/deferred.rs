//! Goal and roadmap pages rendered as the book is written out.
//!
//! The pages of a period's goals are most of an expanded book. The
//! stdin/stdout protocol does not hold them all: the book's chapters are
//! placed with these pages left empty, and the book is written with each
//! page rendered just ahead of the writer and dropped once written. A
//! caller that needs the whole book in memory (mdBook's `Preprocessor`
//! API, or a book that shows errors in its chapters) fills them in first.
//! Both ways give the same book.

use crate::book::Book as GoalsBook;
use crate::render::Target;
use crate::render::page::{Doc, LinkedText};
use crate::slate::{Slate, parallel_map};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc::{Receiver, sync_channel};

/// Pages rendered together by the writer's helper: enough to keep every
/// core busy, few enough that the pages in flight stay small.
const BATCH: usize = 256;

/// A goal or roadmap of a period, by its index in the slate.
#[derive(Clone, Copy, Debug)]
enum Index {
    Goal(usize),
    Roadmap(usize),
}

/// Where a chapter is in the book: the index of each item on the way
/// down. Sorted, places are in the order the book is written.
pub(super) type Place = Vec<u32>;

/// The goal and roadmap pages of a book whose chapters are placed but not
/// yet rendered, with everything rendering them reads.
pub(super) struct Deferred {
    context: GoalsBook,
    slates: BTreeMap<String, Slate>,
    /// Page texts linked while their period loaded, by file.
    linked: BTreeMap<String, LinkedText>,
    /// Every goal and roadmap file: its period and index.
    docs: HashMap<String, (String, Index)>,
    /// The chapters to fill, with the file each shows, sorted by place.
    pages: Vec<(Place, String)>,
}

impl Deferred {
    pub(super) fn new(
        context: GoalsBook,
        slates: BTreeMap<String, Slate>,
        linked: BTreeMap<String, LinkedText>,
    ) -> Deferred {
        let mut docs = HashMap::new();
        for (period, slate) in &slates {
            let goals = (0..slate.goals.len()).map(|i| (&slate.goals[i].file, Index::Goal(i)));
            let roadmaps =
                (0..slate.roadmaps.len()).map(|i| (&slate.roadmaps[i].file, Index::Roadmap(i)));
            for (file, index) in goals.chain(roadmaps) {
                docs.entry(file.clone())
                    .or_insert_with(|| (period.clone(), index));
            }
        }
        Deferred {
            context,
            slates,
            linked,
            docs,
            pages: Vec::new(),
        }
    }

    pub(super) fn context(&self) -> &GoalsBook {
        &self.context
    }

    pub(super) fn slates(&self) -> &BTreeMap<String, Slate> {
        &self.slates
    }

    /// Whether `file` is a goal or roadmap file of a loaded period.
    pub(super) fn is_doc(&self, file: &str) -> bool {
        self.docs.contains_key(file)
    }

    /// The chapters to fill, once every chapter is placed: each with the
    /// goal or roadmap file whose page it shows.
    pub(super) fn place(&mut self, mut pages: Vec<(Place, String)>) {
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        self.pages = pages;
    }

    /// The page of a goal or roadmap file.
    fn render(&self, file: &str) -> String {
        let Some((period, index)) = self.docs.get(file) else {
            return String::new();
        };
        let slate = &self.slates[period];
        let doc = match *index {
            Index::Goal(i) => Doc::Goal(&slate.goals[i]),
            Index::Roadmap(i) => Doc::Roadmap(&slate.roadmaps[i]),
        };
        match self.linked.get(file) {
            Some(text) => doc.render_linked(text, &self.context, slate, Target::Site),
            None => doc.render(&self.context, slate, Target::Site),
        }
    }

    /// Renders every deferred page into its chapter (on every core).
    pub(super) fn fill(&mut self, book: &mut Book) {
        let texts = parallel_map(&self.pages, |(_, file)| self.render(file));
        for ((place, _), text) in self.pages.iter().zip(texts) {
            if let Some(ch) = chapter_at(&mut book.items, place) {
                ch.content = text;
            }
        }
        self.pages.clear();
    }

    /// Writes `book` as JSON, exactly as `serde_json` writes a [`Book`]
    /// whose deferred pages are filled in. A helper thread renders the
    /// pages in writing order, a batch at a time on every core, a little
    /// ahead of the writer; each page is dropped once written.
    pub(super) fn write(&self, book: &Book, out: impl std::io::Write) -> serde_json::Result<()> {
        std::thread::scope(|scope| {
            let (sender, receiver) = sync_channel::<String>(BATCH);
            scope.spawn(move || {
                for batch in self.pages.chunks(BATCH) {
                    for text in parallel_map(batch, |(_, file)| self.render(file)) {
                        if sender.send(text).is_err() {
                            // The writer stopped (a write error).
                            return;
                        }
                    }
                }
            });
            let feed = Feed {
                places: &self.pages,
                next: Cell::new(0),
                texts: RefCell::new(receiver),
            };
            let items = Items {
                items: &book.items,
                place: Vec::new(),
                feed: &feed,
            };
            serde_json::to_writer(out, &BookOut { items })
        })
    }
}

/// The chapter at `place`.
fn chapter_at<'b>(items: &'b mut [BookItem], place: &[u32]) -> Option<&'b mut Chapter> {
    let (first, rest) = place.split_first()?;
    let BookItem::Chapter(ch) = items.get_mut(*first as usize)? else {
        return None;
    };
    if rest.is_empty() {
        Some(ch)
    } else {
        chapter_at(&mut ch.sub_items, rest)
    }
}

/// The rendered pages, in writing order, as the writer reaches them.
struct Feed<'a> {
    places: &'a [(Place, String)],
    next: Cell<usize>,
    texts: RefCell<Receiver<String>>,
}

impl Feed<'_> {
    /// The content of the chapter at `place`: its deferred page, or the
    /// text it holds.
    fn content<'c>(&self, place: &[u32], own: &'c str) -> Result<Cow<'c, str>, String> {
        let next = self.next.get();
        match self.places.get(next) {
            Some((p, _)) if p.as_slice() == place => {
                self.next.set(next + 1);
                let text = self.texts.borrow().recv();
                text.map(Cow::Owned)
                    .map_err(|_| "a goal page could not be rendered".to_string())
            }
            _ => Ok(Cow::Borrowed(own)),
        }
    }
}

/// [`Book`] as its derived `Serialize` writes it.
struct BookOut<'a> {
    items: Items<'a>,
}

impl Serialize for BookOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut book = s.serialize_struct("Book", 1)?;
        book.serialize_field("items", &self.items)?;
        book.end()
    }
}

/// A list of book items, the chapters at `place` + their index.
struct Items<'a> {
    items: &'a [BookItem],
    place: Place,
    feed: &'a Feed<'a>,
}

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.items.len()))?;
        for (i, item) in self.items.iter().enumerate() {
            match item {
                BookItem::Chapter(ch) => {
                    let mut place = self.place.clone();
                    place.push(i as u32);
                    seq.serialize_element(&ChapterItem {
                        ch,
                        place,
                        feed: self.feed,
                    })?;
                }
                other => seq.serialize_element(other)?,
            }
        }
        seq.end()
    }
}

/// `BookItem::Chapter` as its derived `Serialize` writes it, with the
/// content taken from the feed.
struct ChapterItem<'a> {
    ch: &'a Chapter,
    place: Place,
    feed: &'a Feed<'a>,
}

impl Serialize for ChapterItem<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_variant("BookItem", 0, "Chapter", &ChapterOut(self))
    }
}

struct ChapterOut<'a, 'b>(&'b ChapterItem<'a>);

impl Serialize for ChapterOut<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ChapterItem { ch, place, feed } = self.0;
        let content = feed.content(place, &ch.content).map_err(S::Error::custom)?;
        let mut out = s.serialize_struct("Chapter", 7)?;
        out.serialize_field("name", &ch.name)?;
        out.serialize_field("content", &content)?;
        drop(content);
        out.serialize_field("number", &ch.number)?;
        let sub_items = Items {
            items: &ch.sub_items,
            place: place.clone(),
            feed,
        };
        out.serialize_field("sub_items", &sub_items)?;
        out.serialize_field("path", &ch.path)?;
        out.serialize_field("source_path", &ch.source_path)?;
        out.serialize_field("parent_names", &ch.parent_names)?;
        out.end()
    }
}
