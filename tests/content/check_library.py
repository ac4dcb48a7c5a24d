"""The harm reduction library of issue 3 is all there: /harm-reduction and
its eleven sections, each strategy the issue names as a titled part with an
anchor (made from the heading the way the server makes it), and the guide
pages /overdose, /safer-use, /sex-work and /links with their parts. Ends
with "N passed, M failed"."""
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

EXPECTED = {
    "harm-reduction/index.md": ["what-harm-reduction-is", "who-backs-it", "the-eleven-sections"],
    "harm-reduction/safer-use-supplies.md": [
        "syringe-services-programs-needle-exchange", "safer-injection-kits", "safer-smoking-kits",
        "fentanyl-test-strips", "xylazine-test-strips", "cookers-filters-and-sterile-water"],
    "harm-reduction/overdose-prevention.md": [
        "naloxone-distribution-and-how-to-get-it", "overdose-response-training",
        "supervised-consumption-and-overdose-prevention-sites", "drug-checking-services", "never-use-alone",
        "use-with-a-buddy", "call-a-hotline"],
    "harm-reduction/education.md": [
        "tolerance-and-how-it-drops-after-a-break", "mixing-substances", "dosing-and-potency", "signs-of-overdose",
        "opioid-overdose-signs", "stimulant-overamp-signs", "public-campaigns-and-stigma"],
    "harm-reduction/health-services.md": [
        "hiv-and-hepatitis-testing-and-treatment", "vaccination", "wound-and-abscess-care", "xylazine-wounds",
        "mental-health-care", "referral-to-treatment", "primary-care-without-judgment"],
    "harm-reduction/support.md": [
        "peer-support", "grief-and-trauma-support", "support-for-families", "housing-first", "employment-and-skills"],
    "harm-reduction/legal-and-social-barriers.md": [
        "decriminalization", "good-samaritan-laws", "confidential-services", "community-policing-and-deflection"],
    "harm-reduction/specific-settings.md": [
        "prisons-and-jails", "naloxone-in-prisons-and-jails", "syringe-programs-in-prisons",
        "moud-in-jails-and-prisons", "release-planning", "youth", "age-appropriate-education", "safe-spaces",
        "events-festivals-and-nightlife", "on-site-drug-checking", "hydration", "rest-and-chill-out-spaces"],
    "harm-reduction/moud.md": [
        "methadone", "buprenorphine", "suboxone-and-daily-forms", "long-acting-buprenorphine", "naltrexone",
        "getting-and-paying-for-moud", "telehealth-starts", "low-barrier-clinics", "insurance-and-cost"],
    "harm-reduction/stimulants.md": [
        "hydration-and-nutrition", "safer-use-and-overamping", "chill-out-spaces", "paranoia-and-anxiety", "sleep"],
    "harm-reduction/advocacy.md": ["harm-reduction-policy", "community-engagement", "reducing-stigma"],
    "harm-reduction/digital.md": [
        "telehealth", "apps", "overdose-response-guidance", "safer-use-tips", "check-in-services",
        "online-support-groups"],
    "overdose.md": [
        "opioid-overdose-or-stimulant-overamp", "naloxone-step-by-step", "nasal-spray", "injection",
        "cpr-and-rescue-breathing", "not-breathing-or-only-gasping-start-cpr",
        "breathing-but-too-slowly-rescue-breaths", "nalmefene", "after-naloxone",
        "opioids-mixed-with-benzos-benzo-dope", "xylazine-and-medetomidine", "where-to-get-naloxone"],
    "safer-use.md": [
        "test-before-you-use", "start-low-and-go-slow", "don-t-use-alone", "carry-naloxone", "safer-use-by-route",
        "injecting", "smoking", "snorting", "swallowing", "opioid-tips", "stimulant-tips"],
    "sex-work.md": [
        "safety-planning", "sexual-health-prep-and-pep", "drug-use-at-work", "legal-rights", "bad-date-reporting",
        "peer-organizations"],
    "links.md": ["organizations", "national-phone-lines"],
}

LINKS_MUST_NAME = ["hri.global", "harmreduction.org", "samhsa.gov", "cdc.gov", "nextdistro.org", "nasen.org",
                   "findtreatment.gov", "988", "1-800-662-4357", "Never Use Alone"]
OVERDOSE_STEPS = ["Check for a response", "Call", "Give naloxone", "Support breathing", "recovery position",
                  "Stay until help arrives"]

passed = failed = 0


def result(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL %s\n     %s" % (name, detail))


def slug(text):
    text = re.sub(r"[`*_\[\]]", "", text)
    return re.sub(r"[^a-z0-9\x80-\uffff]+", "-", text.lower()).strip("-") or "section"


def anchors(body):
    return {slug(m.group(2)) for m in re.finditer(r"^(##|###) (.+)$", body, re.M)}


def body_of(rel):
    path = os.path.join(ROOT, "content", rel)
    if not os.path.exists(path):
        return None
    return open(path, encoding="utf-8").read().split("\n---\n", 1)[-1]


def main():
    for rel, want in EXPECTED.items():
        body = body_of(rel)
        if body is None:
            result(False, "page %s exists" % rel, "missing")
            continue
        have = anchors(body)
        missing = [a for a in want if a not in have]
        result(not missing, "strategies of %s have their anchors" % rel, "missing: " + ", ".join(missing))
    ov = body_of("overdose.md") or ""
    first = ov.strip().split("\n## ", 1)[0]
    steps = re.findall(r"^\d+\. (.+)$", first, re.M)
    ok = len(steps) == 6 and all(s.lower() in st.lower() for s, st in zip(OVERDOSE_STEPS, steps))
    result(ok, "/overdose opens with the six steps in order", steps)
    result("{{emergency_number}}" in steps[1] if len(steps) > 1 else False,
           "the emergency number in the steps comes from the config")
    result("/static/img/recovery-position.svg" in ov and "/static/img/naloxone-nasal-spray.svg" in ov,
           "/overdose shows the two illustrations")
    links = body_of("links.md") or ""
    missing = [n for n in LINKS_MUST_NAME if n not in links]
    result(not missing, "/links names every line and site the issue lists", missing)
    sections = re.findall(r"\]\((/harm-reduction/[a-z-]+)\)", body_of("harm-reduction/index.md") or "")
    result(len(set(sections)) == 11, "/harm-reduction lists the eleven sections", sorted(set(sections)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
