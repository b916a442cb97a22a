"""Email parsing and the never-answer rules, on hand-made messages (no server needed)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from assistant.messages import Attachment
from channels.email.loops import never_answer_reason
from channels.email.parsing import bounded_headers, dedupe_key, order_lines_from, parse_email


def build(text="Bonjour", subject="Commande", sender="a@acme.fr", **headers) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "c@comptoir.test", subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message.as_bytes()


def test_windows_1252_body_and_encoded_subject():
    raw = (b"From: =?utf-8?q?Ren=C3=A9e?= <renee@acme.fr>\r\nSubject: =?windows-1252?q?Devis_=E9cran?=\r\n"
           b"Content-Type: text/plain; charset=windows-1252\r\n\r\nMerci pour le devis \x96 2 \xe9crans\r\n")
    parsed = parse_email(raw)
    assert parsed.sender == "renee@acme.fr" and parsed.sender_name == "Renée"
    assert parsed.subject == "Devis écran"
    assert "– 2 écrans" in parsed.text


def test_a_wrong_charset_label_does_not_lose_the_message():
    raw = b"From: a@b.fr\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCaf\xe9 moulu x 2\r\n"
    assert "moulu x 2" in parse_email(raw).text


def test_html_only_mail_is_converted_to_text_with_its_table():
    message = EmailMessage()
    message["From"] = "a@b.fr"
    message.set_content("<table><tr><td>PAP-A4-80</td><td>20</td></tr></table><p>Merci</p>", subtype="html")
    text = parse_email(message.as_bytes()).text
    assert "PAP-A4-80" in text and "20" in text and "<td>" not in text


def test_plain_text_is_preferred_over_html():
    message = EmailMessage()
    message["From"] = "a@b.fr"
    message.set_content("version texte")
    message.add_alternative("<p>version html</p>", subtype="html")
    assert parse_email(message.as_bytes()).text.strip() == "version texte"


@pytest.mark.parametrize(
    ("content", "name", "lines"),
    [
        (b"sku,qty\nPAP-A4-80,20\nCLA-LEV-80, 5\n", "c.csv", [("PAP-A4-80", 20), ("CLA-LEV-80", 5)]),
        (b"R\xc3\xa9f\xc3\xa9rence;Quantit\xc3\xa9;Prix\nPAP-A4-80;1 500;3,2\n", "c.csv", [("PAP-A4-80", 1500)]),
        (b"Notre commande\n\nref\tqty\nX-1\t2\nX-2\tdeux\n", "c.csv", [("X-1", 2)]),
        (b"no,columns,here\n1,2,3\n", "c.csv", []),
    ],
)
def test_csv_attachments_become_order_lines(content, name, lines):
    assert order_lines_from(Attachment(name, "text/csv", content)) == lines


def test_xlsx_attachment_becomes_order_lines():
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Référence", "Désignation", "Qté"])
    sheet.append(["GANT-NIT-L", "Gants", 12])
    sheet.append(["SOU-SF", "Souris", 3.0])
    data = io.BytesIO()
    book.save(data)
    attachment = Attachment("commande.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            data.getvalue())
    assert order_lines_from(attachment) == [("GANT-NIT-L", 12), ("SOU-SF", 3)]


def test_dedupe_key_ignores_relay_headers_but_not_content():
    raw = build("10 ramettes", Message_ID="<1@acme.fr>")
    relayed = b"Received: from relay\r\n" + raw
    reused = build("20 ramettes", Message_ID="<1@acme.fr>")
    key = dedupe_key(parse_email(raw), raw)
    assert key == dedupe_key(parse_email(relayed), relayed)
    assert key != dedupe_key(parse_email(reused), reused)


def reason(raw: bytes, envelope: str = "a@acme.fr") -> str | None:
    return never_answer_reason(parse_email(raw), envelope_from=envelope, our_addresses={"c@comptoir.test"},
                               our_domains={"comptoir.test"})


@pytest.mark.parametrize(
    ("raw", "envelope"),
    [
        (build(Auto_Submitted="auto-generated"), "a@acme.fr"),
        (build(Precedence="junk"), "a@acme.fr"),
        (build(List_Unsubscribe="<mailto:x@y>"), "a@acme.fr"),
        (build(subject="Réponse automatique : Absent"), "a@acme.fr"),
        (build(subject="Absente du bureau jusqu'au 3"), "a@acme.fr"),
        (build(subject="Automatic reply: Order"), "a@acme.fr"),
        (build(subject="Lu : Commande"), "a@acme.fr"),
        (build(sender="noreply@acme.fr"), "noreply@acme.fr"),
        (build(sender="Mail Delivery Subsystem <mailer-daemon@acme.fr>"), ""),
        (build(sender="c@comptoir.test"), "c@comptoir.test"),
    ],
)
def test_robots_are_never_answered(raw, envelope):
    assert reason(raw, envelope) is not None


@pytest.mark.parametrize("subject", ["Commande", "Re: notre commande", "Ce que nous avons voulu : 10 stylos",
                                     "Lunettes de protection"])
def test_people_are_answered(subject):
    assert reason(build(subject=subject, Auto_Submitted="no")) is None


def test_a_relay_that_re_encodes_the_body_delivers_the_same_key():
    text = "Bonjour,\nMerci de livrer 10 ramettes de papier à en-tête réf. PAP-A4-80 — urgent\n"
    eight_bit = EmailMessage()
    eight_bit["From"], eight_bit["To"], eight_bit["Subject"] = "a@acme.fr", "c@comptoir.test", "Commande"
    eight_bit["Message-ID"] = "<reenc-1@acme.fr>"
    eight_bit.set_content(text, cte="8bit")
    quoted = EmailMessage()
    for name in ("From", "To", "Subject", "Message-ID"):
        quoted[name] = eight_bit[name]
    quoted.set_content(text, cte="quoted-printable")
    one, two = eight_bit.as_bytes(), b"Received: from relay2\r\n" + quoted.as_bytes()
    assert one != two
    assert dedupe_key(parse_email(one), one) == dedupe_key(parse_email(two), two)


def test_two_mails_without_message_id_or_readable_text_stay_two():
    first = build("Commande 1", Date="Mon, 23 Nov 2026 10:00:00 +0100")
    again = build("Commande 1", Date="Mon, 23 Nov 2026 11:30:00 +0100")  # the same words, sent later
    assert dedupe_key(parse_email(first), first) != dedupe_key(parse_email(again), again)
    broken = (b"From: a@acme.fr\r\nSubject: x\r\nContent-Type: application/octet-stream\r\n"
              b"Content-Transfer-Encoding: base64\r\n\r\n")
    one, other = broken + b"AAAA\r\n", broken + b"BBBB\r\n"
    assert dedupe_key(parse_email(one), one) != dedupe_key(parse_email(other), other)


def test_a_subject_of_thousands_of_encoded_words_is_cut_not_decoded_for_minutes():
    subject = " ".join("=?utf-8?q?Commande_=C3=A9?=" for _ in range(48_000))
    raw = (f"From: a@acme.fr\r\nTo: c@comptoir.test\r\nSubject: {subject}\r\nMessage-ID: <big@acme.fr>\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nMerci de livrer 10 ramettes\r\n").encode()
    parsed = parse_email(raw)
    assert parsed.subject.startswith("Commande é") and len(parsed.subject) < 2_000
    assert parsed.text.strip() == "Merci de livrer 10 ramettes" and parsed.message_id == "<big@acme.fr>"
    assert "HeaderTooLong" in parsed.defects


def test_thousands_of_header_lines_are_capped_and_the_body_still_read():
    many = "".join(f"X-Filler-{n}: {n}\r\n" for n in range(20_000))
    raw = (f"From: a@acme.fr\r\nSubject: Stock\r\n{many}\r\nAvez-vous du papier ?\r\n").encode()
    parsed = parse_email(raw)
    assert parsed.subject == "Stock" and parsed.text.strip() == "Avez-vous du papier ?"


def test_ordinary_headers_are_left_exactly_as_they_are():
    raw = build("10 ramettes", Message_ID="<1@acme.fr>")
    assert bounded_headers(raw) == (raw, False)


def _nested(depth: int, inner: bytes) -> bytes:
    body = inner
    for level in range(depth):
        boundary = f"b{level}".encode()
        body = (b"Content-Type: multipart/mixed; boundary=" + boundary + b"\r\n\r\n--" + boundary + b"\r\n"
                + body + b"\r\n--" + boundary + b"--\r\n")
    return body


def test_a_thousand_nested_multiparts_do_not_make_the_message_unreadable():
    text = b"Content-Type: text/plain; charset=utf-8\r\n\r\nMerci de livrer 10 ramettes\r\n"
    shallow = b"From: a@acme.fr\r\nSubject: Commande\r\nMIME-Version: 1.0\r\n" + _nested(3, text)
    assert parse_email(shallow).text.strip() == "Merci de livrer 10 ramettes"
    deep = b"From: a@acme.fr\r\nSubject: Commande\r\nMIME-Version: 1.0\r\n" + _nested(1000, text)
    parsed = parse_email(deep)  # no RecursionError: what is too deep is left, and said
    assert parsed.sender == "a@acme.fr" and parsed.subject == "Commande" and "TooDeep" in parsed.defects


def test_a_part_with_an_unknown_charset_does_not_hide_the_others():
    raw = (b"From: a@acme.fr\r\nSubject: Commande\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n"
           b"--XX\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n\xff\xfe\xfd\r\n"
           b"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMerci de livrer 10 ramettes\r\n--XX--\r\n")
    assert "Merci de livrer 10 ramettes" in parse_email(raw).text
