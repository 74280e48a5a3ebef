use mdbook_goals::book::Book;
#[test]
fn dump() {
    let book = Book::open(std::path::Path::new("../shared/corpus")).unwrap();
    for p in book.periods() {
        let s = book.load(&p);
        let asks: usize = s.goals.iter().map(|g| g.asks.len()).sum();
        let champs: usize = s.goals.iter().map(|g| g.metadata.champions.len()).sum();
        let subs: usize = s.goals.iter().map(|g| g.subgoals.len()).sum();
        let tasks: usize = s.goals.iter().map(|g| g.tasks.len()).sum();
        let owners: usize = s.goals.iter().map(|g| g.task_owners().len()).sum();
        let hw = s.goals.iter().filter(|g| !g.help_wanted.is_empty()).count();
        let fund: usize = s.goals.iter().map(|g| g.funding.len()).sum();
        let flag = s.goals.iter().filter(|g| g.is_flagship()).count();
        let no_summary = s.goals.iter().filter(|g| g.pitch().is_none()).count();
        eprintln!(
            "{p}: asks={asks} champs={champs} subs={subs} tasks={tasks} owners={owners} hw={hw} fund={fund} flagship={flag} nopitch={no_summary} pages={}",
            s.pages.len()
        );
        for g in s.goals.iter().take(3) {
            eprintln!("  {} | {:?} | {:?}", g.title, g.pitch(), g.task_owners());
        }
        for g in &s.goals {
            if g.asks.is_empty() {
                eprintln!("  NO ASKS: {}", g.file);
            }
        }
        for g in &s.goals {
            for sg in &g.subgoals {
                eprintln!("  SUB {}: {} #{}", g.slug, sg.title, sg.anchor);
            }
        }
    }
}
