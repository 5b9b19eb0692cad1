pub fn run(_check: bool) -> crate::Result {
    Err("todo".into())
}
