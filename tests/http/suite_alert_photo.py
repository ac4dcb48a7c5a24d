"""Alert photos over HTTP (issue 12): a staff upload (multipart/form-data,
with the alert's other fields and its CSRF token) is checked by its bytes,
re-encoded without its EXIF/GPS or text, shown on the public page with its
alt text and size and served from a versioned URL cached for a year; bad
uploads (wrong type by bytes, over 5 MB, cut short, no alt text) come back
on the form with the problem named and nothing saved, the alert's text
included. Each test takes the shared server."""
import base64
import re
import sqlite3
import struct
import zlib

from staff_client import Staff, new_account

TESTS = []
SECRET = b"GPS-SECRET-45.5231-122.6765"

# An 8 x 6 JPEG written by libjpeg-turbo (the fuzz corpus' seed).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAx"
    "NDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
    "MjIyMjIyMjL/wAARCAAGAAgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUF"
    "BAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVW"
    "V1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi"
    "4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAEC"
    "AxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVm"
    "Z2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq"
    "8vP09fb3+Pn6/9oADAMBAAIRAxEAPwA1Szg0rRj4r0FBYpAyfa7JeI23uFDRj+EgsAV4XHTBGGKKKtJJWRDbbuz/2Q==")


def test(fn):
    TESTS.append(fn)
    return fn


def jpeg_with_exif():
    """JPEG with an APP1 Exif segment (a GPS IFD and the secret as Make) after SOI."""
    make = SECRET + b"\0"
    ifd0 = struct.pack(">H", 2) + struct.pack(">HHII", 0x010F, 2, len(make), 38) + \
        struct.pack(">HHII", 0x8825, 4, 1, 38 + len(make)) + struct.pack(">I", 0)
    gps = struct.pack(">H", 1) + struct.pack(">HHI4s", 1, 2, 2, b"N\0\0\0") + struct.pack(">I", 0)
    tiff = b"MM\0\x2a" + struct.pack(">I", 8) + ifd0 + make + gps
    assert len(b"MM\0\x2a") + 4 + len(ifd0) == 38
    seg = b"Exif\0\0" + tiff
    return JPEG[:2] + b"\xff\xe1" + struct.pack(">H", len(seg) + 2) + seg + JPEG[2:]


def png_with_text(w=5, h=4):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    raw = b"".join(b"\0" + bytes([200, 30, 30]) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"tEXt", b"Comment\0" + SECRET) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def multipart(fields, files):
    """(body, content type) of a form with text fields and (name, filename, bytes) files."""
    b = "----waypostPhotoTest7d1"
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)).encode())
    for name, fname, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: image/jpeg\r\n\r\n" % (b, name, fname)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % b).encode())
    return b"".join(out), "multipart/form-data; boundary=%s" % b


def editor(srv):
    email, pw = new_account(srv, "editor")
    s = Staff(srv)
    s.login(email, pw)
    return s, email


def fields(csrf, **kw):
    f = {"csrf": csrf, "headline": "Blue pills sold as oxycodone contain a nitazene", "substances": "nitazenes",
         "area": "Pearl District", "source": "drug-checking", "certainty": "Observed", "severity": "Severe",
         "urgency": "Immediate", "instruction": "Do not use alone. Carry naloxone.", "action": "publish"}
    f.update(kw)
    return f


def send(s, path, form, files):
    body, ct = multipart(form, files)
    return s.request("POST", path, headers={"Content-Type": ct}, raw_body=body)


def count(srv, table):
    db = sqlite3.connect(srv.db)
    try:
        return db.execute("SELECT count(*) FROM %s" % table).fetchone()[0]
    finally:
        db.close()


@test
def photo_upload_is_stripped_shown_with_alt_and_cached_by_version(srv):
    s, email = editor(srv)
    csrf = s.csrf("/staff/alerts/new")
    st, _, body, _ = s.get("/staff/alerts/new")
    assert 'enctype="multipart/form-data"' in body and 'name="photo" type="file"' in body
    raw = jpeg_with_exif()
    assert SECRET in raw and b"Exif" in raw
    st, h, body, _ = send(s, "/staff/alerts", fields(csrf, photo_alt="Light blue round pills stamped M 30"),
                          [("photo", "IMG_0001.jpg", raw)])
    assert st == 303, (st, body[body.find("error-page"):][:800])
    aid = int(re.search(r"/staff/alerts/(\d+)", h["location"]).group(1))
    st, _, page, _ = srv.request("GET", "/alerts/%d" % aid)
    page = page.decode()
    m = re.search(r'<img src="(/alerts/%d/photo\?v=\d+)" alt="([^"]*)" width="(\d+)" height="(\d+)">' % aid, page)
    assert m, page[page.find("alert-photo") - 200:][:600]
    assert m.group(2) == "Light blue round pills stamped M 30" and (m.group(3), m.group(4)) == ("8", "6")
    st, ph, data, _ = srv.request("GET", m.group(1))
    assert st == 200 and ph["content-type"] == "image/jpeg" and data[:3] == b"\xff\xd8\xff"
    assert "max-age=31536000" in ph["cache-control"] and "immutable" in ph["cache-control"]
    assert SECRET not in data and b"Exif" not in data and b"\xff\xe1" not in data
    st, ph, _, _ = srv.request("GET", "/alerts/%d/photo" % aid)
    assert st == 200 and "immutable" not in ph["cache-control"]
    cap = srv.request("GET", "/alerts/%d.cap" % aid)[2].decode()
    assert "<mimeType>image/jpeg</mimeType>" in cap and ("/alerts/%d/photo?v=" % aid) in cap
    # a PNG replaces it: a new URL, its text chunk gone
    st, _, body, _ = send(s, "/staff/alerts/%d" % aid, fields(csrf, photo_alt="Red powder", note="New photo."),
                          [("photo", "x.png", png_with_text())])
    assert st == 303, (st, body[:1500])
    page = srv.request("GET", "/alerts/%d" % aid)[2].decode()
    m2 = re.search(r'<img src="(/alerts/%d/photo\?v=\d+)" alt="Red powder" width="5" height="4">' % aid, page)
    assert m2 and m2.group(1) != m.group(1)
    st, ph, data, _ = srv.request("GET", m2.group(1))
    assert ph["content-type"] == "image/png" and SECRET not in data and b"tEXt" not in data
    db = sqlite3.connect(srv.db)
    acts = [r[0] for r in db.execute("SELECT action FROM staff_audit WHERE target = ? AND action = 'alert.photo'",
                                     ("alert:%d" % aid,))]
    db.close()
    assert len(acts) == 2, acts
    # removing it
    st, _, body, _ = send(s, "/staff/alerts/%d" % aid, fields(csrf, remove_photo="1", note="Photo removed."), [])
    assert st == 303, (st, body[:800])
    assert srv.request("GET", m2.group(1))[0] == 404
    assert "alert-photo" not in srv.request("GET", "/alerts/%d" % aid)[2].decode().split("</main>")[0].split("<main")[1]


@test
def bad_uploads_come_back_named_and_nothing_is_saved(srv):
    s, _ = editor(srv)
    csrf = s.csrf("/staff/alerts/new")
    n, p = count(srv, "alert"), count(srv, "alert_photo")
    cases = [
        ([("photo", "pills.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")], "photo", "not a JPEG, PNG or WebP"),
        ([("photo", "pills.jpg", b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024))], "photo", "5 MB"),
        ([("photo", "pills.jpg", JPEG[:len(JPEG) // 2])], "photo", "damaged"),
        ([("photo", "pills.png", png_with_text()[:60])], "photo", "damaged"),
    ]
    for files, field, words in cases:
        st, _, body, _ = send(s, "/staff/alerts", fields(csrf, photo_alt="Pills"), files)
        assert st == 422, (st, words, body[:500])
        assert 'id="f-%s-error"' % field in body and words in body and 'href="#f-%s"' % field in body, words
        assert "Blue pills sold as oxycodone" in body  # the rest comes back as typed
    st, _, body, _ = send(s, "/staff/alerts", fields(csrf), [("photo", "p.jpg", JPEG)])
    assert st == 422 and 'id="f-photo_alt-error"' in body and "choose the" in body
    assert (count(srv, "alert"), count(srv, "alert_photo")) == (n, p)
    # an edit with a bad photo keeps the stored text too
    st, h, _, _ = send(s, "/staff/alerts", fields(csrf), [])
    assert st == 303
    aid = int(re.search(r"/staff/alerts/(\d+)", h["location"]).group(1))
    st, _, body, _ = send(s, "/staff/alerts/%d" % aid, fields(csrf, headline="Changed headline", photo_alt="x"),
                          [("photo", "p.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")])
    assert st == 422 and 'id="f-photo-error"' in body
    page = srv.request("GET", "/alerts/%d" % aid)[2].decode()
    assert "Changed headline" not in page and "Blue pills sold as oxycodone" in page
    assert count(srv, "alert_photo") == p
    # a draft's photo is shown in the preview from the staff route only
    st, h, _, _ = send(s, "/staff/alerts", fields(csrf, action="draft", photo_alt="Pills"), [("photo", "p.jpg", JPEG)])
    did = int(re.search(r"/staff/alerts/(\d+)", h["location"]).group(1))
    body = s.get("/staff/alerts/%d/preview" % did)[2]
    assert 'src="/staff/alerts/%d/photo"' % did in body
    st, ph, _, _ = s.get("/staff/alerts/%d/photo" % did)
    assert st == 200 and ph["cache-control"] == "no-store"
    assert srv.request("GET", "/alerts/%d/photo" % did)[0] == 404
    assert Staff(srv).get("/staff/alerts/%d/photo" % did)[0] == 303
