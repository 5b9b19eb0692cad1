use super::*;
use proptest::prelude::*;
use std::io::Read;

fn parse(input: &str) -> Request {
    Request::parse(input.as_bytes())
}

const CC: &str = "git-codecommit.us-east-1.amazonaws.com";

/// What `decide` does for `input`: `sign HOST PATH`, `decline`, or `refuse`.
fn check(input: &str, host_check: HostCheck, expected: &str) {
    let request = parse(input);
    let got = match decide(&request, host_check) {
        Decision::Sign(t) => format!("sign {} {}", t.host(), t.path()),
        Decision::Decline(_) => "decline".to_owned(),
        Decision::Refuse(_) => "refuse".to_owned(),
    };
    assert_eq!(got, expected, "{input:?}");
}

#[test]
fn decisions() {
    use HostCheck::*;
    check(
        &format!("protocol=https\nhost={CC}\npath=v1/repos/r\n"),
        CodeCommitOnly,
        &format!("sign {CC} v1/repos/r"),
    );
    check(
        &format!("protocol=https\nhost={CC}:443\npath=v1/repos/r\n\n"),
        CodeCommitOnly,
        &format!("sign {CC}:443 v1/repos/r"),
    );
    check(
        &format!("protocol=http\nhost={CC}\npath=v1/repos/r\n"),
        CodeCommitOnly,
        "decline",
    );
    check(
        &format!("protocol=http\nhost={CC}\npath=v1/repos/r\n"),
        Any,
        "decline",
    );
    check(
        &format!("host={CC}\npath=v1/repos/r\n"),
        CodeCommitOnly,
        "decline",
    );
    check(
        "protocol=https\npath=v1/repos/r\n",
        CodeCommitOnly,
        "decline",
    );
    check("protocol=https\nhost=\npath=v1/repos/r\n", Any, "decline");
    check(
        &format!("protocol=https\nhost={CC}\n"),
        CodeCommitOnly,
        "refuse",
    );
    check(
        &format!("protocol=https\nhost={CC}\npath=\n"),
        CodeCommitOnly,
        "refuse",
    );
    check(
        &format!("protocol=https\nhost={CC}.evil.example\npath=v1/repos/r\n"),
        CodeCommitOnly,
        "decline",
    );
    check(
        &format!("protocol=https\nhost=evil-{CC}\npath=v1/repos/r\n"),
        CodeCommitOnly,
        "decline",
    );
    check(
        "protocol=https\nhost=github.com\n",
        CodeCommitOnly,
        "decline",
    );
    check(
        "protocol=https\nhost=git.example:8443\npath=v1/repos/r\n",
        Any,
        "sign git.example:8443 v1/repos/r",
    );
    check("protocol=https\nhost=git.example\n", Any, "refuse");
}

#[test]
fn git_247_input_is_accepted() {
    let input = format!(
        "capability[]=authtype\r\ncapability[]=state\r\nprotocol=https\r\nhost={CC}\r\npath=v1/repos/r\r\n\
         wwwauth[]=Basic realm=\"x\"\r\nfuture-key=whatever\r\n\r\n"
    );
    let request = parse(&input);
    assert_eq!(request.set_aside(), None);
    assert_eq!(request.capabilities(), ["authtype", "state"]);
    assert_eq!(request.host(), Some(CC));
    assert_eq!(request.path(), Some("v1/repos/r"));
}

#[test]
fn last_repeated_key_wins_and_input_stops_at_blank_line() {
    let request = parse("host=a.example\nhost=b.example\nprotocol=https\n\nhost=c.example\n");
    assert_eq!(request.host(), Some("b.example"));
    let request = parse("protocol=https\nhost=a.example\r\n\r\nhost=c.example\n");
    assert_eq!(request.host(), Some("a.example"));
    let request = parse("protocol=https\nhost=a.example");
    assert_eq!(request.host(), Some("a.example"));
}

/// What the request holds once read: `key=value` for each part git would pass on, or
/// `set aside: ...`.
fn parts(input: &str) -> String {
    let request = parse(input);
    if let Some(error) = request.set_aside() {
        return format!("set aside: {error}");
    }
    let mut out = Vec::new();
    for (key, value) in [
        ("protocol", request.protocol()),
        ("host", request.host()),
        ("path", request.path()),
        ("username", request.username()),
    ] {
        if let Some(value) = value {
            out.push(format!("{key}={value}"));
        }
    }
    for capability in request.capabilities() {
        out.push(format!("capability[]={capability}"));
    }
    out.join(" ")
}

/// Keys apply in order, as git's `credential_read` applies them: `url=` clears what came before
/// it and sets its parts, and a later key replaces a part. Each case was checked against git
/// 2.47 and 2.39 (`git credential fill` reads its input with `credential_read`); the same cases
/// run against the real git in the git-codecommit tests.
#[test]
fn url_and_later_keys_apply_in_order_as_git_reads_them() {
    for (input, expected) in [
        (
            format!("url=https://{CC}/v1/repos/r\nhost=evil.example\n"),
            "protocol=https host=evil.example path=v1/repos/r".to_owned(),
        ),
        (
            format!("url=https://{CC}/v1/repos/r\nprotocol=http\n"),
            format!("protocol=http host={CC} path=v1/repos/r"),
        ),
        (
            format!("url=https://{CC}/v1/repos/r\npath=v1/repos/other\n"),
            format!("protocol=https host={CC} path=v1/repos/other"),
        ),
        (
            format!("host=evil.example\nurl=https://{CC}/v1/repos/r\n"),
            format!("protocol=https host={CC} path=v1/repos/r"),
        ),
        (
            format!("protocol=https\nhost={CC}\npath=v1/repos/r\nurl=https://b.example\n"),
            "protocol=https host=b.example".to_owned(),
        ),
        (
            format!("capability[]=authtype\nusername=u\nurl=https://{CC}/v1/repos/r\n"),
            format!("protocol=https host={CC} path=v1/repos/r"),
        ),
        (
            format!("url=https://{CC}/v1/repos/r\ncapability[]=authtype\n"),
            format!("protocol=https host={CC} path=v1/repos/r capability[]=authtype"),
        ),
        (
            "url=https://b.example/x\nurl=ftp://c\n".to_owned(),
            "protocol=ftp host=c".to_owned(),
        ),
        (
            "url=https://b.example/x/y//\n".to_owned(),
            "protocol=https host=b.example path=x/y".to_owned(),
        ),
        (
            "url=https://b.example//\n".to_owned(),
            "protocol=https host=b.example".to_owned(),
        ),
        (
            "url=https://b.example/%2F/x/\n".to_owned(),
            "protocol=https host=b.example path=//x".to_owned(),
        ),
        (
            "url=https://b.example/%2f\n".to_owned(),
            "protocol=https host=b.example path=/".to_owned(),
        ),
        (
            "url=https://u%41@b.example:8443/x%41y\n".to_owned(),
            "protocol=https host=b.example:8443 path=xAy username=uA".to_owned(),
        ),
        (
            "url=https://@b.example/x\n".to_owned(),
            "protocol=https host=b.example path=x username=".to_owned(),
        ),
        (
            "url=https://u:p@b.example/x\n".to_owned(),
            "protocol=https host=b.example path=x username=u".to_owned(),
        ),
        (
            "url=https://b.example/x@y\n".to_owned(),
            "protocol=https host=b.example path=x@y".to_owned(),
        ),
        (
            format!("url=https://{CC}%2f@evil.example/v1/repos/r\n"),
            format!("protocol=https host=evil.example path=v1/repos/r username={CC}/"),
        ),
        (
            "url=https://b.example?x=1\n".to_owned(),
            "protocol=https host=b.example path=?x=1".to_owned(),
        ),
        (
            "url=https://b.example#frag/x\n".to_owned(),
            "protocol=https host=b.example path=#frag/x".to_owned(),
        ),
        (
            "url=https:///x\n".to_owned(),
            "protocol=https host= path=x".to_owned(),
        ),
        (
            "url=HTTPS://B.example/x\n".to_owned(),
            "protocol=HTTPS host=B.example path=x".to_owned(),
        ),
        (
            "url=https://b%41.example/p%41\n".to_owned(),
            "protocol=https host=bA.example path=pA".to_owned(),
        ),
        // git's url_decode_mem keeps what precedes a ':' as written.
        (
            "url=https://b%41.example:443/p%41:q%41\n".to_owned(),
            "protocol=https host=b%41.example:443 path=p%41:qA".to_owned(),
        ),
        (
            "url=https://b.example/%00x%4\n".to_owned(),
            "protocol=https host=b.example path=%00x%4".to_owned(),
        ),
        (
            "url=https://b.example/%zzx\n".to_owned(),
            "protocol=https host=b.example path=%zzx".to_owned(),
        ),
        // What git dies on (or, for CR, refuses to pass on), and what is not UTF-8.
        (
            "url=b.example\n".to_owned(),
            "set aside: line 1 of the input from git: the 'url' is not a URL git can parse"
                .to_owned(),
        ),
        (
            "url=://b.example/x\n".to_owned(),
            "set aside: line 1 of the input from git: the 'url' is not a URL git can parse"
                .to_owned(),
        ),
        (
            "url=https://b%0aexample/x\n".to_owned(),
            "set aside: line 1 of the input from git: the 'url' is not a URL git can parse"
                .to_owned(),
        ),
        (
            "url=https://b%0dexample/x\n".to_owned(),
            "set aside: line 1 of the input from git: the 'url' is not a URL git can parse"
                .to_owned(),
        ),
        (
            "url=https://u:p%0a@b.example/x\n".to_owned(),
            "set aside: line 1 of the input from git: the 'url' is not a URL git can parse"
                .to_owned(),
        ),
        (
            "url=https://b.example/%ff\n".to_owned(),
            "set aside: line 1 of the input from git: the 'url' is not a URL git can parse"
                .to_owned(),
        ),
    ] {
        assert_eq!(parts(&input), expected, "{input:?}");
    }
}

#[test]
fn malformed_lines_are_set_aside_with_their_line_number() {
    let cases: [(&[u8], ParseError); 8] = [
        (b"protocol=https\nhost=a\0b\n", ParseError::Nul { line: 2 }),
        (
            b"protocol=https\nhost=a\rb\n",
            ParseError::LoneCr { line: 2 },
        ),
        (
            b"protocol=https\r\nnonsense\r\n",
            ParseError::MissingEquals { line: 2 },
        ),
        (
            b"host=\xff\n",
            ParseError::NotUtf8 {
                line: 1,
                key: "host".to_owned(),
            },
        ),
        (
            b"protocol=https\npath=\xfe\n",
            ParseError::NotUtf8 {
                line: 2,
                key: "path".to_owned(),
            },
        ),
        (
            b"protocol=https\nurl=::\n",
            ParseError::InvalidUrl { line: 2 },
        ),
        // The first line about the target is the one named, wherever it is.
        (
            b"garbage\nprotocol=https\nhost=a\0b\n",
            ParseError::Nul { line: 3 },
        ),
        (
            b"garbage\npath=a\0\nother\n",
            ParseError::MissingEquals { line: 1 },
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(
            Request::parse(input).set_aside(),
            Some(&expected),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    let long = format!("protocol=https\nhost={}\n", "a".repeat(MAX_LINE));
    assert_eq!(
        parse(&long).set_aside(),
        Some(&ParseError::LineTooLong { line: 2 })
    );
    let just_fits = format!("host={}\n", "a".repeat(MAX_LINE - 5));
    assert_eq!(parse(&just_fits).set_aside(), None);
    // The other lines still apply.
    let request = parse("protocol=https\ngarbage\nhost=h.example\n");
    assert_eq!(
        (request.protocol(), request.host()),
        (Some("https"), Some("h.example"))
    );
    // Input past MAX_INPUT without a blank line is set aside as a whole.
    let huge = format!(
        "protocol=https\nhost=h.example\n{}",
        "x=y\n".repeat(MAX_INPUT / 4)
    );
    assert_eq!(parse(&huge).set_aside(), Some(&ParseError::InputTooLarge));
    let ended = format!("protocol=https\n\n{}", "x=y\n".repeat(MAX_INPUT / 4));
    assert_eq!(parse(&ended).set_aside(), None);
}

#[test]
fn errors_never_show_values() {
    for secret in [
        "password=SECRETVALUE\rX\n",
        "password=SECRETVALUE\0\n",
        "url=https://u:SECRETVALUE%0a@h.example/\n",
        "SECRETVALUE\n",
    ] {
        let request = parse(secret);
        let error = request.set_aside().expect("set aside");
        assert!(!error.to_string().contains("SECRETVALUE"), "{error}");
        assert!(
            !format!("{request:?}").contains("SECRETVALUE"),
            "{request:?}"
        );
    }
}

#[test]
fn actions() {
    assert_eq!(Action::from_arg("get"), Some(Action::Get));
    assert_eq!(Action::from_arg("store"), Some(Action::Store));
    assert_eq!(Action::from_arg("erase"), Some(Action::Erase));
    assert_eq!(Action::from_arg("capabilities"), None);
}

#[test]
fn answer_format() {
    let mut out = Vec::new();
    let answer = Answer {
        username: "AKID%TOKEN".to_owned(),
        password: "20150101T000000Zabc".to_owned(),
        password_expiry_utc: 1_420_071_000,
    };
    write_answer(&answer, &mut out).expect("writes");
    assert_eq!(
        String::from_utf8(out).expect("utf-8"),
        "username=AKID%TOKEN\npassword=20150101T000000Zabc\npassword_expiry_utc=1420071000\n"
    );
    assert!(!format!("{answer:?}").contains("TOKEN"));
}

#[test]
fn answer_with_line_breaks_is_refused_and_nothing_written() {
    for bad in ["a\nb", "a\rb", "a\0b"] {
        let mut out = Vec::new();
        let answer = Answer {
            username: bad.to_owned(),
            password: format!("SECRET{bad}"),
            password_expiry_utc: 0,
        };
        let error = write_answer(&answer, &mut out).expect_err("refused");
        assert!(out.is_empty());
        // gix's own error quotes the value; ours must not.
        assert!(!format!("{error} {error:?}").contains("SECRET"));
    }
}

proptest! {
    #[test]
    fn parser_never_panics(input in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Request::parse(&input);
    }

    #[test]
    fn write_then_read_round_trips(
        username in "[^\r\n\0]{1,64}",
        password in "[^\r\n\0]{1,64}",
        expiry in any::<u32>(),
    ) {
        let mut out = Vec::new();
        write_answer(&Answer { username: username.clone(), password: password.clone(), password_expiry_utc: u64::from(expiry) }, &mut out)
            .expect("valid values write");
        let request = Request::parse(&out);
        prop_assert_eq!(request.set_aside(), None);
        prop_assert_eq!(request.username(), Some(username.as_str()));
        // git's own reading of it: gix-credentials' parser.
        let context = Context::from_bytes(&out, ContextOptions::default()).expect("parses");
        prop_assert_eq!(context.password.as_deref(), Some(password.as_str()));
        prop_assert_eq!(context.password_expiry_utc, Some(i64::from(expiry)));
    }

    #[test]
    fn writer_never_emits_a_line_break_inside_a_value(
        username in any::<String>(),
        password in any::<String>(),
    ) {
        let mut out = Vec::new();
        if write_answer(&Answer { username, password, password_expiry_utc: 1 }, &mut out).is_ok() {
            let text = String::from_utf8(out).expect("utf-8");
            prop_assert_eq!(text.matches('\n').count(), 3);
            prop_assert!(!text.contains('\r') && !text.contains('\0'));
        }
    }
}

#[test]
fn request_debug_shows_no_secret() {
    let request = parse(&format!(
        "protocol=https\nhost={CC}\npath=v1/repos/r\nusername=AKID%SESSIONTOKEN\npassword=SECRETPASSWORD\n"
    ));
    for text in [format!("{request:?}"), format!("{request:#?}")] {
        assert!(!text.contains("SESSIONTOKEN"), "{text}");
        assert!(!text.contains("SECRETPASSWORD"), "{text}");
        assert!(text.contains(CC), "{text}");
    }
}

/// A signer that records what it was asked, and answers or fails.
struct Recorder {
    fail: bool,
    signed: Vec<String>,
}

impl Signer for Recorder {
    type Error = &'static str;
    fn sign(&mut self, target: &SignTarget) -> Result<Answer, Self::Error> {
        self.signed
            .push(format!("{} {}", target.host(), target.path()));
        if self.fail {
            return Err("no credentials");
        }
        Ok(Answer {
            username: "AKID".to_owned(),
            password: "PW".to_owned(),
            password_expiry_utc: 7,
        })
    }
}

/// One helper run in memory: (outcome as a word, what was written, what the signer was asked).
fn run(
    action: &str,
    input: &[u8],
    host_check: HostCheck,
    fail: bool,
) -> (String, String, Vec<String>) {
    let mut signer = Recorder {
        fail,
        signed: Vec::new(),
    };
    let mut output = Vec::new();
    let outcome = match serve(action, host_check, input, &mut output, &mut signer) {
        Ok(Outcome::Answered) => "answered".to_owned(),
        Ok(Outcome::Declined(reason)) => format!("declined: {reason}"),
        Ok(Outcome::Ignored(action)) => format!("ignored {action:?}"),
        Err(ServeError::Parse(e)) => format!("parse error: {e}"),
        Err(ServeError::Refused(e)) => format!("refused: {e}"),
        Err(ServeError::Signer(e)) => format!("signer error: {e}"),
        Err(e) => format!("error: {e}"),
    };
    (
        outcome,
        String::from_utf8(output).expect("utf-8"),
        signer.signed,
    )
}

fn check_run(action: &str, input: &str, expected: &str) {
    let (outcome, output, _) = run(action, input.as_bytes(), HostCheck::CodeCommitOnly, false);
    let answered = "username=AKID\npassword=PW\npassword_expiry_utc=7\n";
    if expected == "answered" {
        assert_eq!(
            (outcome.as_str(), output.as_str()),
            ("answered", answered),
            "{input:?}"
        );
    } else {
        assert_eq!(outcome, expected, "{input:?}");
        assert_eq!(output, "", "{input:?}: wrote to git");
    }
}

#[test]
fn helper_runs() {
    let ok = format!(
        "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost={CC}\npath=v1/repos/r\n\n"
    );
    check_run("get", &ok, "answered");
    check_run("get", &ok.replace('\n', "\r\n"), "answered");
    check_run(
        "get",
        &format!(
            "protocol=https\nhost={CC}\npath=v1/repos/r\nwwwauth[]=Basic realm=\"x\"\nunknown=1"
        ),
        "answered",
    );
    check_run(
        "get",
        &format!("protocol=https\nhost={CC}.evil.example\npath=v1/repos/r\n"),
        &format!(
            "declined: host '{CC}.evil.example' is not a CodeCommit Git endpoint: leaving it to the next helper"
        ),
    );
    check_run(
        "get",
        &format!("protocol=https\nhost=evil-{CC}\npath=v1/repos/r\n"),
        &format!(
            "declined: host 'evil-{CC}' is not a CodeCommit Git endpoint: leaving it to the next helper"
        ),
    );
    check_run(
        "get",
        &format!("protocol=https\nhost={CC}@evil.example\npath=v1/repos/r\n"),
        &format!(
            "declined: host '{CC}@evil.example' is not a CodeCommit Git endpoint: leaving it to the next helper"
        ),
    );
    check_run(
        "get",
        "protocol=https\nhost=github.com\npath=owner/repo.git\n",
        "declined: host 'github.com' is not a CodeCommit Git endpoint: leaving it to the next helper",
    );
    check_run(
        "get",
        &format!("protocol=http\nhost={CC}\npath=v1/repos/r\n"),
        "declined: protocol 'http' is not https: not signing",
    );
    check_run(
        "get",
        "protocol=https\npath=v1/repos/r\n",
        "declined: git sent no host: not signing",
    );
    check_run(
        "get",
        &format!("host={CC}\npath=v1/repos/r\n"),
        "declined: git sent no protocol: not signing",
    );
    check_run(
        "get",
        &format!("protocol=https\nhost={CC}:443\n\n"),
        &format!(
            "refused: git sent no repository path for {CC}, and a CodeCommit password is signed for one"
        ),
    );
    check_run(
        "get",
        "protocol=https\nhost=a\0b\n",
        "refused: line 2 of the input from git holds a NUL byte",
    );
    for action in ["store", "erase"] {
        let word = if action == "store" { "Store" } else { "Erase" };
        check_run(
            action,
            &format!("{ok}username=u\npassword=p\n"),
            &format!("ignored Some({word})"),
        );
    }
    check_run("capabilities", &ok, "ignored None");
    check_run("frobnicate", "garbage without equals", "ignored None");
}

/// A line git would never send is set aside. A request that could be ours is then refused,
/// naming the line; one for another host or protocol is declined as any other would be, unless
/// the line set aside said which host or protocol (`protocol`, `host`, `url`). Nothing is ever
/// signed with a line set aside. One line a case: (input, outcome).
#[test]
fn malformed_lines_decline_for_other_hosts_and_refuse_for_ours() {
    let nul = "refused: line 2 of the input from git holds a NUL byte";
    let github = "declined: host 'github.com' is not a CodeCommit Git endpoint: leaving it to the next helper";
    for (input, expected) in [
        // Ours: refused, whatever line was set aside and wherever it is.
        (
            format!("protocol=https\nhost={CC}\npath=v1/repos/r\ngarbage\n"),
            "refused: line 4 of the input from git is not of the form key=value",
        ),
        (
            format!("garbage\nprotocol=https\nhost={CC}\npath=v1/repos/r\n"),
            "refused: line 1 of the input from git is not of the form key=value",
        ),
        (
            format!("protocol=https\nhost={CC}\npath=v1/repos/r\npassword=SECRET\rVALUE\n"),
            "refused: line 4 of the input from git holds a carriage return inside a value",
        ),
        (
            format!("protocol=https\nhost={CC}\npath=v1/\0repos/r\n"),
            "refused: line 3 of the input from git holds a NUL byte",
        ),
        (
            format!("protocol=https\nhost={CC}\n"),
            &format!(
                "refused: git sent no repository path for {CC}, and a CodeCommit password is signed for one"
            ),
        ),
        (
            format!("protocol=https\nhost={CC}\ngarbage\n"),
            "refused: line 3 of the input from git is not of the form key=value",
        ),
        // Another host or protocol: declined, as without the line.
        (
            "protocol=https\nhost=github.com\npath=o/r\ngarbage\n".to_owned(),
            github,
        ),
        (
            "garbage\nprotocol=https\nhost=github.com\n".to_owned(),
            github,
        ),
        (
            "protocol=https\nhost=github.com\npassword=SECRET\rVALUE\n".to_owned(),
            github,
        ),
        (
            "protocol=https\nhost=github.com\npath=o/\0r\n".to_owned(),
            github,
        ),
        (
            format!(
                "protocol=https\nhost=github.com\nwwwauth[]=x\0y\n{}\n",
                "k".repeat(MAX_LINE + 1)
            ),
            github,
        ),
        (
            format!("protocol=http\nhost={CC}\npath=v1/repos/r\ngarbage\n"),
            "declined: protocol 'http' is not https: not signing",
        ),
        (
            "protocol=https\npassword=SECRET\rVALUE\n".to_owned(),
            "declined: git sent no host: not signing",
        ),
        // The line set aside may have named the host or protocol: refused, whatever the rest says.
        ("protocol=https\nhost=a\0b\n".to_owned(), nul),
        ("protocol=https\nhost=github.com\0\n".to_owned(), nul),
        (
            format!("protocol=https\nhost={CC}\0\npath=v1/repos/r\n"),
            nul,
        ),
        (format!("protocol=https\nprotocol=http\0\nhost={CC}\n"), nul),
        (
            "protocol=https\nurl=github.com\nhost=github.com\n".to_owned(),
            "refused: line 2 of the input from git: the 'url' is not a URL git can parse",
        ),
        (
            format!(
                "protocol=https\nhost=github.com\nhost={}\n",
                "a".repeat(MAX_LINE)
            ),
            "refused: line 3 of the input from git is over 65536 bytes",
        ),
        (
            format!(
                "protocol=https\nhost=github.com\n{}",
                "x=y\n".repeat(MAX_INPUT / 4)
            ),
            "refused: input from git is over 1048576 bytes",
        ),
        // A repeated or unknown key with a CR is only an unknown key to git, and nothing ours.
        (
            "protocol=https\nhost=github.com\nhost\r=x\n".to_owned(),
            github,
        ),
    ] {
        check_run("get", &input, expected);
    }
    for (input, expected) in [
        (
            &b"protocol=https\nhost=github.com\nusername=u\xff\n"[..],
            github,
        ),
        (
            &b"protocol=https\nhost=github.com\nhost=\xff\n"[..],
            "refused: line 3 of the input from git: the value of 'host' is not UTF-8",
        ),
    ] {
        let (outcome, output, signed) = run("get", input, HostCheck::CodeCommitOnly, false);
        assert_eq!(
            (outcome.as_str(), output.as_str(), signed.len()),
            (expected, "", 0)
        );
    }
    // store and erase read the request and do nothing, malformed or not.
    for action in ["store", "erase"] {
        check_run(
            action,
            &format!("protocol=https\nhost={CC}\0\ngarbage\n\n"),
            &format!(
                "ignored Some({})",
                if action == "store" { "Store" } else { "Erase" }
            ),
        );
    }
}

/// A host under a CodeCommit DNS suffix, with a `git-codecommit` label, that fits no endpoint
/// shape is declined with the part that failed, so the helper can say so.
#[test]
fn near_codecommit_hosts_are_declined_with_the_reason() {
    for (host, expected) in [
        (
            "vpce-0abc-xyz.git-codecommit.eu-west-1.vpce.amazonaws.com",
            "declined: host 'vpce-0abc-xyz.git-codecommit.eu-west-1.vpce.amazonaws.com' is not a CodeCommit Git endpoint: the VPC endpoint label 'vpce-0abc-xyz' is not vpce-ID-NAME[-ZONE]: the endpoint id '0abc' is not 8 or more hex digits; leaving it to the next helper",
        ),
        (
            "git-codecommit.cn-north-1.amazonaws.com",
            "declined: host 'git-codecommit.cn-north-1.amazonaws.com' is not a CodeCommit Git endpoint: region 'cn-north-1' is in the aws-cn partition, whose endpoints end in amazonaws.com.cn, not amazonaws.com; leaving it to the next helper",
        ),
        (
            "git-codecommit.us-east-1.amazonaws.com:https",
            "declined: host 'git-codecommit.us-east-1.amazonaws.com:https' is not a CodeCommit Git endpoint: the port 'https' is not a number from 1 to 65535 (without leading zeros); leaving it to the next helper",
        ),
        (
            "\x1b]0;x\x07.git-codecommit.us-east-1.amazonaws.com",
            "declined: host '\\x1b]0;x\\x07.git-codecommit.us-east-1.amazonaws.com' is not a CodeCommit Git endpoint: '\\x1b' is not allowed: a host name is ASCII letters, digits, '-' and '.'; leaving it to the next helper",
        ),
        (
            "codecommit.us-east-1.amazonaws.com",
            "declined: host 'codecommit.us-east-1.amazonaws.com' is not a CodeCommit Git endpoint: leaving it to the next helper",
        ),
    ] {
        check_run(
            "get",
            &format!("protocol=https\nhost={host}\npath=v1/repos/r\n"),
            expected,
        );
    }
    let (outcome, ..) = run(
        "get",
        b"protocol=https\nhost=vpce-0abc-xyz.git-codecommit.eu-west-1.vpce.amazonaws.com\npath=v1/repos/r\n",
        HostCheck::Any,
        false,
    );
    assert_eq!(outcome, "answered");
}

/// git's own helpers read the request up to its blank line: a caller that keeps its end of the
/// pipe open after it still gets the answer.
#[test]
fn the_request_ends_at_the_blank_line_whatever_follows() {
    /// A reader that serves `data`, then fails the test if read again (a pipe that would block).
    struct ThenBlock<'a>(&'a [u8]);
    impl Read for ThenBlock<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            assert!(
                !self.0.is_empty(),
                "read past the blank line: this would block"
            );
            let n = buf.len().min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let ok = format!("protocol=https\nhost={CC}\npath=v1/repos/r\n\n");
    for (action, input, expected) in [
        ("get", ok.clone(), "answered"),
        ("get", ok.replace('\n', "\r\n"), "answered"),
        (
            "get",
            "protocol=https\nhost=github.com\n\n".to_owned(),
            "declined",
        ),
        ("store", ok.clone(), "ignored"),
        ("erase", ok.clone(), "ignored"),
        ("frobnicate", "a=b\n\n".to_owned(), "ignored"),
    ] {
        let mut signer = Recorder {
            fail: false,
            signed: Vec::new(),
        };
        let outcome = serve(
            action,
            HostCheck::CodeCommitOnly,
            ThenBlock(input.as_bytes()),
            Vec::new(),
            &mut signer,
        );
        let word = match outcome {
            Ok(Outcome::Answered) => "answered",
            Ok(Outcome::Declined(_)) => "declined",
            Ok(Outcome::Ignored(_)) => "ignored",
            _ => "error",
        };
        assert_eq!(word, expected, "{action} {input:?}");
    }
    // What follows the blank line is not read.
    let request =
        Request::read(&b"protocol=https\nhost=a.example\n\nhost=b.example\n"[..]).expect("reads");
    assert_eq!(request.host(), Some("a.example"));
}

#[test]
fn helper_signs_the_host_as_sent_and_reports_signer_errors() {
    let input = format!("protocol=https\nhost={CC}:8443\npath=v1/repos/r\n");
    let (_, _, signed) = run("get", input.as_bytes(), HostCheck::CodeCommitOnly, false);
    assert_eq!(signed, [format!("{CC}:8443 v1/repos/r")]);
    let (outcome, output, _) = run("get", input.as_bytes(), HostCheck::CodeCommitOnly, true);
    assert_eq!(
        (outcome.as_str(), output.as_str()),
        ("signer error: no credentials", "")
    );
    let proxy = b"protocol=https\nhost=git.internal.example:8443\npath=v1/repos/r\n";
    let (outcome, _, signed) = run("get", proxy, HostCheck::Any, false);
    assert_eq!(outcome, "answered");
    assert_eq!(signed, ["git.internal.example:8443 v1/repos/r"]);
}
