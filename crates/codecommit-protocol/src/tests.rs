use super::*;
use proptest::prelude::*;

fn parse(input: &str) -> Result<Request, ParseError> {
    Request::parse(input.as_bytes())
}

const CC: &str = "git-codecommit.us-east-1.amazonaws.com";

/// What `decide` does for `input`: `sign HOST PATH`, `decline`, or `refuse`.
fn check(input: &str, host_check: HostCheck, expected: &str) {
    let request = parse(input).expect("parses");
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
    let request = parse(&input).expect("parses");
    assert_eq!(request.capabilities(), ["authtype", "state"]);
    assert_eq!(request.host(), Some(CC));
    assert_eq!(request.path(), Some("v1/repos/r"));
}

#[test]
fn last_repeated_key_wins_and_input_stops_at_blank_line() {
    let request = parse("host=a.example\nhost=b.example\nprotocol=https\n\nhost=c.example\n")
        .expect("parses");
    assert_eq!(request.host(), Some("b.example"));
    let request = parse("protocol=https\nhost=a.example").expect("EOF without newline");
    assert_eq!(request.host(), Some("a.example"));
}

#[test]
fn url_stands_for_its_parts() {
    let request = parse(&format!("url=https://{CC}/v1/repos/r\n")).expect("parses");
    assert_eq!(
        (request.protocol(), request.host(), request.path()),
        (Some("https"), Some(CC), Some("v1/repos/r"))
    );
}

#[test]
fn malformed_input_is_refused_with_the_line() {
    let cases: [(&[u8], ParseError); 6] = [
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
                key: "host".to_owned(),
            },
        ),
        (
            b"path=\xfe\n",
            ParseError::NotUtf8 {
                key: "path".to_owned(),
            },
        ),
        (b"protocol=https\nurl=::\n", ParseError::InvalidUrl),
    ];
    for (input, expected) in cases {
        assert_eq!(
            Request::parse(input).err(),
            Some(expected),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    let long = format!("protocol=https\nhost={}\n", "a".repeat(MAX_LINE));
    assert_eq!(
        parse(&long).err(),
        Some(ParseError::LineTooLong { line: 2 })
    );
    let just_fits = format!("host={}\n", "a".repeat(MAX_LINE - 5));
    assert!(parse(&just_fits).is_ok());
}

#[test]
fn errors_never_show_values() {
    let secret = "password=SECRETVALUE\rX\n";
    let error = parse(secret).expect_err("lone CR");
    assert!(!error.to_string().contains("SECRETVALUE"));
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
        let request = Request::parse(&out).expect("our output parses");
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
    ))
    .expect("parses");
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
        "parse error: line 2 of the input from git holds a NUL byte",
    );
    check_run(
        "get",
        "protocol=https\npassword=SECRET\rVALUE\n",
        "parse error: line 2 of the input from git holds a carriage return inside a value",
    );
    check_run(
        "get",
        "protocol=https\ngarbage\n",
        "parse error: line 2 of the input from git is not of the form key=value",
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
