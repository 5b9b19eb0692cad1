pub fn run() -> crate::Result {
    Err("todo".into())
}
