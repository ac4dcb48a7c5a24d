#!/usr/bin/env python3
"""Builds data/interactions.json, the drug-combination matrix behind /combos
and the "combinations" part of each fact sheet.

Rerun after any edit to this file:
    python3 tools/gen_interactions.py
and then check the result:
    python3 tests/content/check_interactions.py

How it works: every unordered pair of the substances below gets exactly one
cell. Rules fill whole families of pairs (opioid with opioid, opioid with
another depressant, ...) using wording built from each substance's own facts;
explicit entries cover every other pair. Nothing is filled in silently: the
script stops with an error if a pair is missing or written twice.

All wording is our own, written from the public sources in SOURCES (FDA
labels and safety communications, CDC, NIDA, NIAAA, SAMHSA, MedlinePlus,
NIMH and peer-reviewed papers). No third-party combination chart was used.
Reading level: short sentences, everyday words, grade 8 or lower.
"""
import json
import os

REVIEWED = "2026-11-27"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "data", "interactions.json")

# --------------------------------------------------------------------------
# Levels, worst first.
# --------------------------------------------------------------------------
LEVELS = [
    ("dangerous", "Dangerous",
     "This mix can kill or cause lasting harm, even at amounts people often take. "
     "Avoid it."),
    ("unsafe", "Unsafe",
     "This mix carries a serious risk of harm. Avoid it; if you do it anyway, follow "
     "the advice for the pair to lower the risk."),
    ("caution", "Caution",
     "This mix can cause problems or make one of the drugs riskier, especially at "
     "higher doses. Go slow and watch for the warning signs."),
    ("low-risk-synergy", "Low risk, stronger together",
     "Low risk, but the effects add up or get stronger together. Use less of each "
     "than you would alone."),
    ("low-risk-no-synergy", "Low risk, little change",
     "Low risk: the two do not strongly change each other's effects. Each one's own "
     "risks still apply."),
    ("low-risk-decrease", "Low risk, weaker together",
     "Low risk: one weakens or blocks the other's effects. Watch out for taking more "
     "to make up for it."),
    ("unknown", "Unknown",
     "There is little or no research on this mix. Unknown does not mean safe: start "
     "low, go slow and don't use alone."),
]
LEVEL_IDS = [lv[0] for lv in LEVELS]

# --------------------------------------------------------------------------
# Sources. Titles are "Publisher. Title (year)"; "n.d." = the page has no date.
# --------------------------------------------------------------------------
SOURCES = {
    "fda-opioid-benzo-2016": (
        "U.S. Food and Drug Administration. FDA warns about serious risks and death when "
        "combining opioid pain or cough medicines with benzodiazepines; requires its "
        "strongest warning (2016)",
        "https://www.fda.gov/drugs/drug-safety-and-availability/fda-drug-safety-communication-fda-warns-about-serious-risks-and-death-when-combining-opioid-pain-or"),
    "fda-mat-benzo-2017": (
        "U.S. Food and Drug Administration. FDA Drug Safety Podcast: FDA urges caution about "
        "withholding opioid addiction medications from patients taking benzodiazepines or "
        "CNS depressants (2017)",
        "https://www.fda.gov/drugs/drug-safety-podcasts/fda-drug-safety-podcast-fda-urges-caution-about-withholding-opioid-addiction-medications-patients"),
    "fda-gabapentinoids-2019": (
        "U.S. Food and Drug Administration. FDA warns about serious breathing problems with "
        "seizure and nerve pain medicines gabapentin and pregabalin (2019)",
        "https://www.fda.gov/drugs/drug-safety-and-availability/fda-warns-about-serious-breathing-problems-seizure-and-nerve-pain-medicines-gabapentin-neurontin"),
    "fda-opioid-serotonin-2016": (
        "U.S. Food and Drug Administration. FDA warns about several safety issues with opioid "
        "pain medicines; requires label changes (2016)",
        "https://www.fda.gov/drugs/drug-safety-and-availability/fda-drug-safety-communication-fda-warns-about-several-safety-issues-opioid-pain-medicines-requires"),
    "fda-benzo-boxed-2020": (
        "U.S. Food and Drug Administration. FDA requiring Boxed Warning updated to improve "
        "safe use of benzodiazepine drug class (2020)",
        "https://www.fda.gov/drugs/drug-safety-and-availability/fda-requiring-boxed-warning-updated-improve-safe-use-benzodiazepine-drug-class"),
    "fda-naloxone": (
        "U.S. Food and Drug Administration. Information about naloxone and nalmefene (n.d.)",
        "https://www.fda.gov/drugs/postmarket-drug-safety-information-patients-and-providers/information-about-naloxone-and-nalmefene"),
    "fda-kratom": (
        "U.S. Food and Drug Administration. FDA and kratom (n.d.)",
        "https://www.fda.gov/news-events/public-health-focus/fda-and-kratom"),
    "cdc-naloxone": (
        "Centers for Disease Control and Prevention. Lifesaving naloxone (2024)",
        "https://www.cdc.gov/stop-overdose/caring/naloxone.html"),
    "cdc-polysubstance": (
        "Centers for Disease Control and Prevention. Polysubstance overdose (n.d.)",
        "https://www.cdc.gov/overdose-prevention/about/polysubstance-overdose.html"),
    "cdc-xylazine": (
        "Centers for Disease Control and Prevention. What you should know about xylazine (n.d.)",
        "https://www.cdc.gov/overdose-prevention/about/what-you-should-know-about-xylazine.html"),
    "nida-xylazine": (
        "National Institute on Drug Abuse. Xylazine (n.d.)",
        "https://nida.nih.gov/research-topics/xylazine"),
    "mmwr-medetomidine-2025": (
        "CDC, Morbidity and Mortality Weekly Report. Notes from the field: Suspected "
        "medetomidine withdrawal syndrome among fentanyl-exposed patients, Philadelphia, "
        "Pennsylvania, September 2024 to January 2025 (2025)",
        "https://www.cdc.gov/mmwr/volumes/74/wr/mm7415a2.htm"),
    "cdc-medetomidine-qa": (
        "Centers for Disease Control and Prevention. Clinical implications of medetomidine "
        "mixed with opioids: questions and answers (2025)",
        "https://www.cdc.gov/overdose-prevention/hcp/trainings/medetomidine-qa.html"),
    "cfsre-medetomidine-2024": (
        "Center for Forensic Science Research and Education. Medetomidine rapidly "
        "proliferating across USA, implicated in recreational opioid drug supply and causing "
        "overdose outbreaks (2024)",
        "https://www.cfsre.org/nps-discovery/public-alerts/medetomidine-rapidly-proliferating-across-usa-implicated-in-recreational-opioid-drug-supply-causing-overdose-outbreaks"),
    "mmwr-carfentanil-2024": (
        "CDC, Morbidity and Mortality Weekly Report. Detection of illegally manufactured "
        "fentanyls and carfentanil in drug overdose deaths, United States, 2021 to 2024 (2024)",
        "https://www.cdc.gov/mmwr/volumes/73/wr/mm7348a2.htm"),
    "mmwr-nitazenes-2022": (
        "CDC, Morbidity and Mortality Weekly Report. Notes from the field: Nitazene-related "
        "deaths, Tennessee, 2019 to 2021 (2022)",
        "https://www.cdc.gov/mmwr/volumes/71/wr/mm7137a5.htm"),
    "mmwr-kratom-2019": (
        "CDC, Morbidity and Mortality Weekly Report. Notes from the field: Unintentional drug "
        "overdose deaths with kratom detected, 27 states, July 2016 to December 2017 (2019)",
        "https://www.cdc.gov/mmwr/volumes/68/wr/mm6814a2.htm"),
    "nida-opioids": (
        "National Institute on Drug Abuse. Opioids (n.d.)",
        "https://nida.nih.gov/research-topics/opioids"),
    "nida-fentanyl": (
        "National Institute on Drug Abuse. Fentanyl (n.d.)",
        "https://nida.nih.gov/research-topics/fentanyl"),
    "nida-kratom": (
        "National Institute on Drug Abuse. Kratom (n.d.)",
        "https://nida.nih.gov/research-topics/kratom"),
    "nida-cocaine": (
        "National Institute on Drug Abuse. Cocaine DrugFacts (n.d.)",
        "https://nida.nih.gov/publications/drugfacts/cocaine"),
    "nida-meth": (
        "National Institute on Drug Abuse. Methamphetamine DrugFacts (n.d.)",
        "https://nida.nih.gov/publications/drugfacts/methamphetamine"),
    "nida-mdma": (
        "National Institute on Drug Abuse. MDMA (Ecstasy/Molly) DrugFacts (n.d.)",
        "https://nida.nih.gov/publications/drugfacts/mdma-ecstasymolly"),
    "nida-psychedelics": (
        "National Institute on Drug Abuse. Psychedelic and dissociative drugs (n.d.)",
        "https://nida.nih.gov/research-topics/psychedelic-dissociative-drugs"),
    "nida-psychedelic-medicines": (
        "National Institute on Drug Abuse. Psychedelic and dissociative drugs as medicines (n.d.)",
        "https://nida.nih.gov/research-topics/psychedelic-dissociative-drugs-medicines"),
    "nida-cannabis": (
        "National Institute on Drug Abuse. Cannabis (marijuana) (n.d.)",
        "https://nida.nih.gov/research-topics/cannabis-marijuana"),
    "niaaa-medicines": (
        "National Institute on Alcohol Abuse and Alcoholism. Harmful interactions: mixing "
        "alcohol with medicines (n.d.)",
        "https://www.niaaa.nih.gov/publications/brochures-and-fact-sheets/harmful-interactions-mixing-alcohol-with-medicines"),
    "samhsa-tip63": (
        "Substance Abuse and Mental Health Services Administration. TIP 63: Medications for "
        "opioid use disorder (2021)",
        "https://library.samhsa.gov/product/tip-63-medications-opioid-use-disorder/pep21-02-01-002"),
    "medlineplus-serotonin": (
        "MedlinePlus, U.S. National Library of Medicine. Serotonin syndrome (n.d.)",
        "https://medlineplus.gov/ency/article/007272.htm"),
    "medlineplus-tramadol": (
        "MedlinePlus, U.S. National Library of Medicine. Tramadol (n.d.)",
        "https://medlineplus.gov/druginfo/meds/a695011.html"),
    "medlineplus-methadone": (
        "MedlinePlus, U.S. National Library of Medicine. Methadone (n.d.)",
        "https://medlineplus.gov/druginfo/meds/a682134.html"),
    "medlineplus-buprenorphine": (
        "MedlinePlus, U.S. National Library of Medicine. Buprenorphine sublingual and buccal "
        "(opioid dependence) (n.d.)",
        "https://medlineplus.gov/druginfo/meds/a605002.html"),
    "medlineplus-modafinil": (
        "MedlinePlus, U.S. National Library of Medicine. Modafinil (n.d.)",
        "https://medlineplus.gov/druginfo/meds/a602016.html"),
    "medlineplus-dxm": (
        "MedlinePlus, U.S. National Library of Medicine. Dextromethorphan (n.d.)",
        "https://medlineplus.gov/druginfo/meds/a682492.html"),
    "medlineplus-lithium": (
        "MedlinePlus, U.S. National Library of Medicine. Lithium (n.d.)",
        "https://medlineplus.gov/druginfo/meds/a681039.html"),
    "medlineplus-amphetamine": (
        "MedlinePlus, U.S. National Library of Medicine. Dextroamphetamine and amphetamine (n.d.)",
        "https://medlineplus.gov/druginfo/meds/a601234.html"),
    "nimh-medications": (
        "National Institute of Mental Health. Mental health medications (n.d.)",
        "https://www.nimh.nih.gov/health/topics/mental-health-medications"),
    "dea-ghb": (
        "Drug Enforcement Administration. GHB drug fact sheet (n.d.)",
        "https://www.dea.gov/factsheets/ghb"),
    "dea-ketamine": (
        "Drug Enforcement Administration. Ketamine drug fact sheet (n.d.)",
        "https://www.dea.gov/factsheets/ketamine"),
    "boyer-2005": (
        "Boyer EW, Shannon M. The serotonin syndrome. New England Journal of Medicine (2005)",
        "https://doi.org/10.1056/NEJMra041867"),
    "gillman-2005": (
        "Gillman PK. Monoamine oxidase inhibitors, opioid analgesics and serotonin toxicity. "
        "British Journal of Anaesthesia (2005)",
        "https://doi.org/10.1093/bja/aei210"),
    "nayak-2021": (
        "Nayak SM, Gukasyan N, Barrett FS, et al. Classic psychedelic coadministration with "
        "lithium, but not lamotrigine, is associated with seizures: an analysis of online "
        "psychedelic experience reports. Pharmacopsychiatry (2021)",
        "https://doi.org/10.1055/a-1524-2794"),
    "vanamsterdam-2024": (
        "van Amsterdam J, Gresnigt F, van den Brink W. Cardiovascular risks of simultaneous use "
        "of alcohol and cocaine: a systematic review. Journal of Clinical Medicine (2024)",
        "https://doi.org/10.3390/jcm13051475"),
}

# --------------------------------------------------------------------------
# Substances. The slugs and their order are fixed: other pages link to them.
# Aliases are lower case; each must point to exactly one substance.
# --------------------------------------------------------------------------
SUBSTANCES = [
    ("fentanyl", "Fentanyl and analogues", "opioids",
     ["fent", "fetty", "fenty", "fentanyl analogues", "acetylfentanyl", "fluorofentanyl",
      "para-fluorofentanyl", "duragesic", "sublimaze", "actiq", "m30", "m30s", "blues"]),
    ("carfentanil", "Carfentanil", "opioids",
     ["carfentanyl", "carfent", "wildnil"]),
    ("nitazenes", "Nitazenes", "opioids",
     ["nitazene", "isotonitazene", "iso", "protonitazene", "metonitazene", "etonitazene",
      "etonitazepyne", "n-pyrrolidino etonitazene", "benzimidazole opioids"]),
    ("xylazine", "Xylazine", "adulterants",
     ["tranq", "tranq dope", "sleep cut", "anestesia de caballo", "rompun", "zombie drug"]),
    ("medetomidine", "Medetomidine", "adulterants",
     ["rhino tranq", "dexmedetomidine", "levomedetomidine", "domitor", "dexdomitor", "precedex"]),
    ("heroin", "Heroin", "opioids",
     ["dope", "h", "smack", "junk", "black tar", "tar", "horse", "brown", "diamorphine"]),
    ("prescription-opioids", "Prescription opioids (oxycodone, hydrocodone, morphine and others)",
     "opioids",
     ["oxy", "oxys", "oxycodone", "oxycontin", "percs", "perc", "percocet", "roxy", "roxies",
      "roxicodone", "vicodin", "norco", "hydrocodone", "hydros", "dilaudid", "hydromorphone",
      "dillies", "morphine", "ms contin", "opana", "oxymorphone"]),
    ("methadone", "Methadone", "opioids",
     ["dolophine", "methadose", "done", "diskets"]),
    ("buprenorphine", "Buprenorphine", "opioids",
     ["bupe", "bupes", "bup", "sub", "subs", "suboxone", "subutex", "zubsolv", "sublocade",
      "brixadi", "butrans", "belbuca"]),
    ("tramadol", "Tramadol", "opioids",
     ["ultram", "ultracet", "trammies", "tramal", "conzip"]),
    ("naloxone", "Naloxone", "medications",
     ["narcan", "kloxxado", "zimhi", "rivive", "evzio"]),
    ("kratom", "Kratom", "other",
     ["ketum", "kakuam", "thang", "biak", "mitragynine", "7-oh", "7-hydroxymitragynine",
      "mitragyna speciosa"]),
    ("modafinil", "Modafinil and armodafinil", "stimulants",
     ["provigil", "armodafinil", "nuvigil", "modalert", "modvigil", "moda"]),
    ("benzodiazepines", "Benzodiazepines (including designer benzos)", "depressants",
     ["benzos", "benzo", "xanax", "bars", "xanax bars", "xannies", "zannies", "alprazolam",
      "valium", "diazepam", "klonopin", "clonazepam", "ativan", "lorazepam", "restoril",
      "temazepam", "bromazolam", "etizolam", "flualprazolam", "flubromazolam", "clonazolam"]),
    ("alcohol", "Alcohol", "depressants",
     ["booze", "drinking", "beer", "wine", "liquor", "spirits", "vodka", "whiskey", "ethanol"]),
    ("ghb", "GHB and GBL", "depressants",
     ["g", "gbl", "1,4-bd", "1,4-butanediol", "gina", "georgia home boy", "liquid ecstasy",
      "liquid x", "sodium oxybate", "xyrem", "xywav", "gamma-hydroxybutyrate",
      "gamma-butyrolactone"]),
    ("gabapentinoids", "Gabapentin and pregabalin", "depressants",
     ["gabapentin", "pregabalin", "neurontin", "lyrica", "gabbies", "gabas", "horizant",
      "gralise"]),
    ("cocaine", "Cocaine and crack", "stimulants",
     ["coke", "crack", "crack cocaine", "blow", "yayo", "snow", "rock", "base", "freebase"]),
    ("methamphetamine", "Methamphetamine", "stimulants",
     ["meth", "crystal", "crystal meth", "ice", "glass", "tina", "crank", "shard", "shabu",
      "desoxyn"]),
    ("mdma", "MDMA (ecstasy, molly)", "stimulants",
     ["molly", "ecstasy", "e", "x", "xtc", "mandy", "mda"]),
    ("ketamine", "Ketamine", "psychedelics-dissociatives",
     ["k", "special k", "ket", "kitty", "vitamin k", "ketalar", "esketamine", "spravato"]),
    ("cannabis", "Cannabis", "other",
     ["weed", "marijuana", "pot", "thc", "grass", "herb", "ganja", "hash", "dabs", "wax",
      "edibles", "delta-8", "kush", "bud", "mary jane"]),
    ("psychedelics", "LSD and psilocybin", "psychedelics-dissociatives",
     ["acid", "lsd", "tabs", "blotter", "lucy", "1p-lsd", "shrooms", "mushrooms",
      "magic mushrooms", "psilocybin", "psilocin"]),
    ("dxm", "DXM (dextromethorphan)", "psychedelics-dissociatives",
     ["robo", "robotripping", "robitussin", "tussin", "dextromethorphan", "triple c", "ccc",
      "coricidin", "delsym", "dex", "skittles"]),
    ("ssris-snris", "SSRI and SNRI antidepressants", "medications",
     ["ssri", "ssris", "snri", "snris", "zoloft", "sertraline", "prozac", "fluoxetine",
      "lexapro", "escitalopram", "celexa", "citalopram", "paxil", "paroxetine", "luvox",
      "fluvoxamine", "effexor", "venlafaxine", "cymbalta", "duloxetine", "pristiq",
      "desvenlafaxine"]),
    ("maois", "MAOI antidepressants", "medications",
     ["maoi", "phenelzine", "nardil", "tranylcypromine", "parnate", "isocarboxazid", "marplan",
      "selegiline", "emsam", "moclobemide", "linezolid", "zyvox"]),
    ("antipsychotics", "Antipsychotics", "medications",
     ["seroquel", "quetiapine", "zyprexa", "olanzapine", "risperdal", "risperidone", "abilify",
      "aripiprazole", "haldol", "haloperidol", "geodon", "ziprasidone", "clozapine",
      "clozaril", "latuda", "lurasidone", "invega", "paliperidone"]),
    ("lithium", "Lithium", "medications",
     ["lithobid", "lithium carbonate", "eskalith"]),
    ("adhd-stimulants", "ADHD stimulant medicines", "stimulants",
     ["adderall", "addies", "ritalin", "methylphenidate", "concerta", "vyvanse",
      "lisdexamfetamine", "focalin", "dexmethylphenidate", "dexedrine", "dextroamphetamine",
      "dexies", "amphetamine", "mydayis"]),
    ("other-opioids", "Other opioids (codeine, tapentadol, loperamide and others)", "opioids",
     ["codeine", "lean", "purple drank", "sizzurp", "drank", "tylenol 3",
      "tylenol with codeine", "t3s", "tapentadol", "nucynta", "meperidine", "demerol",
      "pethidine", "loperamide", "imodium", "opium", "dihydrocodeine"]),
]
SLUGS = [s[0] for s in SUBSTANCES]
IDX = {s: i for i, s in enumerate(SLUGS)}

# Short names used inside sentences.
SHORT = {
    "fentanyl": "fentanyl", "carfentanil": "carfentanil", "nitazenes": "nitazenes",
    "xylazine": "xylazine", "medetomidine": "medetomidine", "heroin": "heroin",
    "prescription-opioids": "opioid pills", "methadone": "methadone",
    "buprenorphine": "buprenorphine", "tramadol": "tramadol", "naloxone": "naloxone",
    "kratom": "kratom", "modafinil": "modafinil", "benzodiazepines": "benzos",
    "alcohol": "alcohol", "ghb": "GHB", "gabapentinoids": "gabapentin or pregabalin",
    "cocaine": "cocaine", "methamphetamine": "meth", "mdma": "MDMA", "ketamine": "ketamine",
    "cannabis": "cannabis", "psychedelics": "LSD or psilocybin", "dxm": "DXM",
    "ssris-snris": "SSRI or SNRI antidepressants", "maois": "MAOIs",
    "antipsychotics": "antipsychotics", "lithium": "lithium",
    "adhd-stimulants": "ADHD stimulants", "other-opioids": "codeine or similar opioids",
}

# A general source per substance: used for "unknown" and low-risk cells, and
# added to rule-built cells.
HOME = {
    "fentanyl": "nida-fentanyl", "carfentanil": "mmwr-carfentanil-2024",
    "nitazenes": "mmwr-nitazenes-2022", "xylazine": "nida-xylazine",
    "medetomidine": "mmwr-medetomidine-2025", "heroin": "nida-opioids",
    "prescription-opioids": "nida-opioids", "methadone": "medlineplus-methadone",
    "buprenorphine": "medlineplus-buprenorphine", "tramadol": "medlineplus-tramadol",
    "naloxone": "fda-naloxone", "kratom": "nida-kratom", "modafinil": "medlineplus-modafinil",
    "benzodiazepines": "fda-benzo-boxed-2020", "alcohol": "niaaa-medicines", "ghb": "dea-ghb",
    "gabapentinoids": "fda-gabapentinoids-2019", "cocaine": "nida-cocaine",
    "methamphetamine": "nida-meth", "mdma": "nida-mdma", "ketamine": "nida-psychedelics",
    "cannabis": "nida-cannabis", "psychedelics": "nida-psychedelics", "dxm": "medlineplus-dxm",
    "ssris-snris": "nimh-medications", "maois": "nimh-medications",
    "antipsychotics": "nimh-medications", "lithium": "medlineplus-lithium",
    "adhd-stimulants": "medlineplus-amphetamine", "other-opioids": "nida-opioids",
}

# What each substance is like on its own, for cells with little research.
PROFILE = {
    "fentanyl": "fentanyl is a very strong opioid that slows breathing",
    "carfentanil": "carfentanil is an extremely strong opioid",
    "nitazenes": "nitazenes are very strong opioids",
    "xylazine": "xylazine is a strong sedative that slows the heart and causes wounds",
    "medetomidine": "medetomidine is a strong sedative that slows the heart",
    "heroin": "heroin slows breathing and often contains fentanyl",
    "prescription-opioids": "opioid pills slow breathing, and fake ones may contain fentanyl",
    "methadone": "methadone slows breathing and lasts a long time",
    "buprenorphine": "buprenorphine is a partial opioid that blocks stronger opioids",
    "tramadol": "tramadol is an opioid that can cause seizures and raise serotonin",
    "kratom": "kratom acts like a stimulant at low doses and like an opioid at high doses",
    "modafinil": "modafinil keeps you awake and can raise heart rate and blood pressure a little",
    "benzodiazepines": "benzos cause sleepiness and memory gaps",
    "alcohol": "alcohol causes sleepiness and poor judgment",
    "ghb": "GHB can cause sudden deep sleep",
    "gabapentinoids": "gabapentin and pregabalin cause drowsiness and dizziness",
    "cocaine": "cocaine strains the heart",
    "methamphetamine": "meth strains the heart and keeps you awake for a long time",
    "mdma": "MDMA raises body heat, heart rate and serotonin",
    "ketamine": "ketamine causes confusion and trouble moving",
    "cannabis": "cannabis can cause anxiety, a fast heartbeat and drowsiness",
    "psychedelics": "LSD and psilocybin strongly change thinking and mood",
    "dxm": "DXM at high doses causes confusion and raises serotonin",
    "ssris-snris": "SSRI and SNRI antidepressants raise serotonin",
    "maois": "MAOI antidepressants react badly with many drugs",
    "antipsychotics": "antipsychotics cause drowsiness and can lower blood pressure",
    "lithium": "lithium has a small gap between a helpful level and a toxic one",
    "adhd-stimulants": "ADHD stimulants raise heart rate and blood pressure",
    "other-opioids": "opioids like codeine slow breathing",
}

OPIOID_GROUP = {"fentanyl", "carfentanil", "nitazenes", "heroin", "prescription-opioids",
                "methadone", "buprenorphine", "tramadol", "other-opioids"}
FULL_AGONISTS = ["fentanyl", "carfentanil", "nitazenes", "heroin", "prescription-opioids",
                 "methadone", "tramadol", "other-opioids"]
DEPRESSANTS = ["xylazine", "medetomidine", "benzodiazepines", "alcohol", "ghb",
               "gabapentinoids"]
PRESCRIBED = {"methadone", "buprenorphine", "modafinil", "gabapentinoids", "ssris-snris",
              "maois", "antipsychotics", "lithium", "adhd-stimulants"}

# One sentence on each full opioid, used in rule-built cells.
ON = {
    "fentanyl": "Fentanyl is very strong and acts fast, so breathing can stop within minutes.",
    "carfentanil": "Carfentanil is about 100 times stronger than fentanyl, so a tiny amount "
                   "can stop breathing.",
    "nitazenes": "Nitazenes can be as strong as fentanyl or stronger, and fentanyl test "
                 "strips do not detect them.",
    "heroin": "Most heroin sold now also contains fentanyl, so its strength is hard to judge.",
    "prescription-opioids": "Pills bought outside a pharmacy are often fake and may contain "
                            "fentanyl.",
    "methadone": "Methadone lasts a long time and builds up over the first days, so its peak "
                 "can come hours after a dose.",
    "tramadol": "Tramadol can also cause seizures, even at normal doses.",
    "other-opioids": "Codeine, loperamide and similar opioids still slow breathing, and very "
                     "large doses of loperamide can also upset heart rhythm.",
}
# One extra piece of advice on each full opioid.
OX = {
    "fentanyl": "Fentanyl test strips can show whether fentanyl is in a drug.",
    "carfentanil": "A carfentanil overdose may need two or more doses of naloxone, so carry "
                   "extra.",
    "nitazenes": "A nitazene overdose may need more than one dose of naloxone, so carry extra.",
    "heroin": "Test heroin with fentanyl strips before you use it.",
    "prescription-opioids": "Use fentanyl test strips on any pill that did not come from a "
                            "pharmacy.",
    "methadone": "Naloxone wears off before methadone does, so stay with the person for hours, "
                 "even if they wake up.",
    "tramadol": "Naloxone does not stop a seizure; if one happens, move hard things away and "
                "call 911.",
    "other-opioids": "Check labels, because cough syrups and pills can hide codeine and other "
                     "drugs.",
}
OX_PRIORITY = ["methadone", "carfentanil", "nitazenes", "tramadol", "fentanyl", "heroin",
               "prescription-opioids", "other-opioids"]


def opioid_sources(o):
    return {
        "fentanyl": ["nida-fentanyl"],
        "carfentanil": ["mmwr-carfentanil-2024"],
        "nitazenes": ["mmwr-nitazenes-2022"],
        "heroin": ["nida-opioids"],
        "prescription-opioids": ["nida-opioids"],
        "methadone": ["medlineplus-methadone"],
        "tramadol": ["medlineplus-tramadol"],
        "other-opioids": ["nida-opioids"],
        "buprenorphine": ["medlineplus-buprenorphine"],
    }[o]


def cap(s):
    return s[:1].upper() + s[1:]


# --------------------------------------------------------------------------
# The matrix.
# --------------------------------------------------------------------------
CELLS = {}


def key(a, b):
    if a not in IDX or b not in IDX:
        raise SystemExit("unknown slug in pair %s / %s" % (a, b))
    if a == b:
        raise SystemExit("self pair %s" % a)
    return (a, b) if IDX[a] < IDX[b] else (b, a)


def add(a, b, level, summary, advice, sources):
    k = key(a, b)
    if k in CELLS:
        raise SystemExit("pair written twice: %s + %s" % k)
    if level not in LEVEL_IDS:
        raise SystemExit("bad level %s for %s + %s" % (level, a, b))
    seen = []
    for s in sources:
        if s not in SOURCES:
            raise SystemExit("unknown source %s for %s + %s" % (s, a, b))
        if s not in seen:
            seen.append(s)
    CELLS[k] = {"a": k[0], "b": k[1], "level": level, "summary": summary.strip(),
                "advice": advice.strip(), "sources": seen}


def unknown(a, b, extra_advice=None, sources=None):
    """A pair nobody has studied: said plainly."""
    pa, pb = PROFILE[a], PROFILE[b]
    summary = "Little or no research on this combination. %s. %s." % (cap(pa), cap(pb))
    advice = ["Unknown does not mean safe: try a small amount of one, wait to see how you "
              "feel, then go slow with the other.",
              "Have someone with you who knows what you took."]
    if extra_advice:
        advice.append(extra_advice)
    elif a in OPIOID_GROUP or b in OPIOID_GROUP:
        advice.append("Carry naloxone for the opioid.")
    elif {a, b} & {"xylazine", "medetomidine"}:
        advice.append("Carry naloxone, because %s is usually mixed with opioids."
                      % ("xylazine" if "xylazine" in (a, b) else "medetomidine"))
    elif a in DEPRESSANTS or b in DEPRESSANTS:
        advice.append("Carry naloxone in case opioids are in the mix.")
    elif a in PRESCRIBED or b in PRESCRIBED:
        advice.append("Don't stop a prescribed medicine suddenly; a pharmacist can check this "
                      "mix for you in confidence.")
    add(a, b, "unknown", summary, " ".join(advice), (sources or []) + [HOME[a], HOME[b]])


# ---- 1. Opioid with opioid (full agonists): dangerous --------------------
OO_OVERRIDE = {
    ("fentanyl", "carfentanil"): (
        "Carfentanil is a fentanyl analogue about 100 times stronger than fentanyl, and it has "
        "been turning up in the same supply. Even a speck on top of fentanyl can stop breathing.",
        ["mmwr-carfentanil-2024", "nida-fentanyl"]),
    ("fentanyl", "nitazenes"): (
        "Nitazenes are being found mixed into the fentanyl supply, and some are stronger than "
        "fentanyl. Fentanyl test strips do not detect them, so you may be taking two very strong "
        "opioids without knowing it.",
        ["mmwr-nitazenes-2022", "nida-fentanyl"]),
    ("fentanyl", "heroin"): (
        "Most heroin now already contains fentanyl, so adding more fentanyl stacks two strong "
        "opioids and makes the dose impossible to judge. Together they slow breathing far more "
        "than either alone.",
        ["nida-fentanyl", "cdc-polysubstance"]),
    ("fentanyl", "methadone"): (
        "Many people on methadone still use fentanyl sometimes. Methadone builds up and lasts "
        "more than a day, so fentanyl on top stacks two strong opioids. The risk is highest in "
        "the first weeks of methadone, after missed doses, or after time away from opioids.",
        ["samhsa-tip63", "medlineplus-methadone", "nida-fentanyl"]),
    ("fentanyl", "prescription-opioids"): (
        "Fake oxycodone pills such as 'M30s' usually contain fentanyl, so mixing pills and "
        "fentanyl often means taking far more fentanyl than you think. Both slow breathing, and "
        "together far more than either alone.",
        ["nida-fentanyl", "nida-opioids"]),
}

for i, a in enumerate(FULL_AGONISTS):
    for b in FULL_AGONISTS[i + 1:]:
        k = key(a, b)
        if k in OO_OVERRIDE:
            summary, srcs = OO_OVERRIDE[k]
        else:
            summary = ("Both are opioids, and together they slow breathing far more than "
                       "either one alone. %s %s" % (ON[k[0]], ON[k[1]]))
            srcs = ["nida-opioids", "cdc-naloxone"] + opioid_sources(a) + opioid_sources(b)
        extra = next(OX[o] for o in OX_PRIORITY if o in k)
        advice = ("Use one at a time if you can, start with a small test amount, and don't use "
                  "alone. Carry naloxone; if breathing is slow or the person won't wake, call "
                  "911 and give it. " + extra)
        add(a, b, "dangerous", summary, advice, srcs + ["cdc-naloxone"])

# ---- 2. Opioid with depressant: dangerous ---------------------------------
DEP_SUMMARY = {
    "xylazine": "Xylazine ('tranq') is a sedative often mixed into street opioids. With {o} it "
                "deepens sedation and slows breathing and heart rate, and naloxone does not "
                "reverse the xylazine part.",
    "medetomidine": "Medetomidine is a strong sedative now found in the street opioid supply. "
                    "With {o} it causes deep sedation and a very slow heart rate, and naloxone "
                    "does not reverse it.",
    "benzodiazepines": "Opioids and benzos both slow breathing, and together they cause many "
                       "overdose deaths; the FDA put its strongest warning on this mix in 2016.",
    "alcohol": "Alcohol and {o} both slow breathing, and alcohol makes throwing up while "
               "passed out more likely.",
    "ghb": "GHB and {o} both slow breathing, and GHB can cause sudden deep unconsciousness at "
           "a dose only a little above the usual one.",
    "gabapentinoids": "Gabapentin and pregabalin add to the sedation of {o}, and the FDA warned "
                      "in 2019 that this mix can cause serious breathing problems.",
}
DEP_ADVICE = {
    "xylazine": "Use xylazine test strips if you can, use less, and don't use alone. In an "
                "overdose call 911, give naloxone and give rescue breaths; the person may stay "
                "sleepy after naloxone, so focus on their breathing.",
    "medetomidine": "Use less, go slow and don't use alone. In an overdose call 911, give "
                    "naloxone for the opioid and support breathing; if you use every day, get "
                    "medical help for withdrawal, which can be dangerous.",
    "benzodiazepines": "Use much less of each, space them hours apart, and don't use alone. "
                       "Naloxone reverses the opioid but not the benzo, so give it, call 911 "
                       "and put the person on their side.",
    "alcohol": "Skip drinking when you use opioids, or drink very little and use less of the "
               "opioid. Don't use alone, carry naloxone, and put a very drowsy person on their "
               "side so they don't choke.",
    "ghb": "Avoid this mix; if you do it, use a much smaller, measured dose of G and don't "
           "redose. Don't use alone, carry naloxone and call 911 if someone can't be woken.",
    "gabapentinoids": "Use the lowest dose of each and don't take extra gabapentin or "
                      "pregabalin to boost the high. Don't use alone and carry naloxone.",
}
DEP_SOURCES = {
    "xylazine": ["cdc-xylazine", "nida-xylazine"],
    "medetomidine": ["mmwr-medetomidine-2025", "cfsre-medetomidine-2024", "cdc-medetomidine-qa"],
    "benzodiazepines": ["fda-opioid-benzo-2016", "fda-benzo-boxed-2020"],
    "alcohol": ["niaaa-medicines", "fda-opioid-benzo-2016"],
    "ghb": ["dea-ghb", "fda-opioid-benzo-2016"],
    "gabapentinoids": ["fda-gabapentinoids-2019"],
}
OD_OVERRIDE = {
    ("fentanyl", "xylazine"): (
        "Xylazine ('tranq') is now mixed into much of the fentanyl supply. Both slow breathing "
        "and heart rate, the mix causes long blackouts, and naloxone reverses only the fentanyl "
        "part.",
        "Use fentanyl and xylazine test strips, use less, go slow and don't use alone. In an "
        "overdose call 911, give naloxone and give rescue breaths; the person may stay sleepy "
        "after naloxone, so focus on breathing. Get wounds checked early: xylazine wounds can "
        "appear away from where you inject."),
    ("fentanyl", "medetomidine"): (
        "Medetomidine, a stronger cousin of xylazine, is now found in fentanyl in several US "
        "cities. Together they cause deep sedation and a very slow heart rate, naloxone "
        "reverses only the fentanyl part, and daily use can lead to a withdrawal that needs "
        "hospital care.",
        "Go slow, use less and don't use alone. In an overdose call 911, give naloxone and "
        "support breathing. If you use daily and get withdrawal with a pounding heart, very "
        "high blood pressure, shaking or confusion, get emergency care."),
    ("fentanyl", "benzodiazepines"): (
        "Fake 'bars' and other pressed pills often contain fentanyl, a designer benzo such as "
        "bromazolam, or both. Both slow breathing, together far more than either alone, and "
        "the FDA put its strongest warning on this mix in 2016.",
        "Don't use alone, use much less of each, and space them apart. Test pills with fentanyl "
        "strips. Naloxone reverses the fentanyl but not the benzo, so give it, call 911 and put "
        "the person on their side."),
    ("methadone", "benzodiazepines"): (
        "Methadone and benzos both slow breathing, and the risk is highest when starting "
        "methadone or raising the dose. The FDA says methadone treatment should not be refused "
        "to people who take benzos, because untreated opioid use is often more dangerous, but "
        "the mix needs care.",
        "Keep taking your methadone and tell your clinic about any benzos, including street "
        "pills, so doses can be planned safely. Don't use alone and carry naloxone. Never stop "
        "benzos suddenly after daily use: withdrawal can cause seizures."),
}

for o in FULL_AGONISTS:
    for d in DEPRESSANTS:
        k = key(o, d)
        srcs = DEP_SOURCES[d] + opioid_sources(o) + ["cdc-naloxone"]
        if k in OD_OVERRIDE:
            summary, advice = OD_OVERRIDE[k]
            if o == "methadone" and d == "benzodiazepines":
                srcs = ["fda-mat-benzo-2017", "fda-opioid-benzo-2016", "samhsa-tip63",
                        "fda-benzo-boxed-2020"]
        else:
            summary = DEP_SUMMARY[d].format(o=SHORT[o]) + " " + ON[o]
            advice = DEP_ADVICE[d] + " " + OX[o]
        add(o, d, "dangerous", summary, advice, srcs)

# ---- 3. Buprenorphine -------------------------------------------------------
BUP_FULL = {
    "fentanyl": (
        "Buprenorphine sticks tightly to opioid receptors and blocks much of fentanyl's effect. "
        "Taking it while fentanyl is still in your body can cause sudden, severe withdrawal, and "
        "using a lot of fentanyl to push past the block can still lead to overdose.",
        "If you are starting buprenorphine, wait for clear withdrawal first or ask about a "
        "low-dose start, because fentanyl can linger for days. Don't try to overpower the "
        "block; keep naloxone close and don't use alone."),
    "carfentanil": (
        "Buprenorphine blocks much of the effect of other opioids, but carfentanil is so strong "
        "that it may partly override the block. Taking buprenorphine soon after carfentanil can "
        "also cause sudden withdrawal.",
        "Staying on buprenorphine still lowers your overdose risk. Don't use alone, and carry "
        "extra naloxone: a carfentanil overdose may need several doses."),
    "nitazenes": (
        "Buprenorphine blocks much of the effect of other opioids, but very strong nitazenes may "
        "partly override the block. Taking buprenorphine soon after nitazenes can also cause "
        "sudden withdrawal.",
        "Staying on buprenorphine still lowers your overdose risk. Don't use alone, and carry "
        "extra naloxone: nitazene overdoses may need more than one dose."),
    "heroin": (
        "Buprenorphine blocks much of heroin's effect, and taking it while heroin (often mixed "
        "with fentanyl) is still in your body can cause sudden, severe withdrawal. Using a lot "
        "of heroin to push past the block can still lead to overdose.",
        "Wait for clear withdrawal before a first buprenorphine dose, or ask your prescriber "
        "about other ways to start. Don't try to overpower the block; carry naloxone and don't "
        "use alone."),
    "prescription-opioids": (
        "Buprenorphine blocks much of the effect of oxycodone and similar pills, so pain relief "
        "and highs are weaker. Starting buprenorphine while these are still active can cause "
        "sudden withdrawal.",
        "If you need pain treatment while on buprenorphine, tell the prescriber; there are safe "
        "ways to manage it. Don't take extra pills to get past the block, and carry naloxone."),
    "methadone": (
        "Switching from methadone to buprenorphine needs planning: buprenorphine taken too soon "
        "can cause sudden, severe withdrawal that lasts, because methadone stays in the body a "
        "long time. Taking both can also add to drowsiness.",
        "Only switch with your clinic's help; they can plan the timing or use a low-dose start. "
        "Don't take one on top of the other on your own, and carry naloxone."),
    "tramadol": (
        "Buprenorphine weakens tramadol's pain relief, and tramadol can still cause seizures and "
        "raise serotonin. Starting buprenorphine while tramadol is active can cause withdrawal.",
        "Tell your buprenorphine prescriber if you are given tramadol for pain. Don't take extra "
        "tramadol to feel it, because more tramadol means a higher seizure risk."),
    "other-opioids": (
        "Buprenorphine blocks much of the effect of codeine, tapentadol and similar opioids, so "
        "people may take more to feel them. Starting buprenorphine while these are active can "
        "cause sudden withdrawal.",
        "Don't take extra to get past the block; large doses of loperamide in particular can "
        "harm the heart. Tell your prescriber about any other opioid you take."),
}
for o, (s, adv) in BUP_FULL.items():
    add("buprenorphine", o, "caution", s, adv,
        ["samhsa-tip63", "medlineplus-buprenorphine"] + opioid_sources(o))

BUP_DEP = {
    "benzodiazepines": (
        "Buprenorphine has a ceiling on how much it slows breathing, but benzos can remove that "
        "safety margin; deaths have been reported, mostly with large or injected doses. The FDA "
        "(2017) says buprenorphine should not be withheld from people who take benzos, because "
        "untreated opioid use is often more dangerous.",
        "Keep taking your buprenorphine and tell your prescriber about any benzos, including "
        "street 'bars', so you can plan together. Use the smallest benzo dose, don't inject, "
        "don't use alone and carry naloxone.",
        ["fda-mat-benzo-2017", "fda-opioid-benzo-2016", "samhsa-tip63"]),
    "alcohol": (
        "Alcohol adds to buprenorphine's drowsiness and can weaken its ceiling on breathing, "
        "especially with heavy drinking. Throwing up while very drowsy can block the airway.",
        "Drink little or nothing, especially in the hours after your dose, and stay with other "
        "people. Tell your prescriber if you drink most days; treatment can still continue.",
        ["fda-mat-benzo-2017", "niaaa-medicines", "medlineplus-buprenorphine"]),
    "ghb": (
        "GHB can cause sudden deep unconsciousness, and buprenorphine adds to it. Together they "
        "can slow breathing more than buprenorphine alone.",
        "Avoid this mix; if you do it, use a much smaller, measured amount of G and don't "
        "redose. Don't use alone and carry naloxone.",
        ["fda-mat-benzo-2017", "dea-ghb"]),
    "gabapentinoids": (
        "Gabapentin or pregabalin add to buprenorphine's drowsiness, and the FDA warned in 2019 "
        "that gabapentinoids with opioids can cause serious breathing problems. The risk is "
        "lower than with full opioids but real, especially with high or unprescribed doses.",
        "Take gabapentin or pregabalin only as prescribed and tell your buprenorphine "
        "prescriber. Don't take extra to boost the high, and carry naloxone.",
        ["fda-gabapentinoids-2019", "fda-mat-benzo-2017"]),
    "xylazine": (
        "Xylazine is a sedative mixed into much of the street opioid supply. With buprenorphine "
        "it still causes deep sedation, low blood pressure and a slow heart rate, and neither "
        "naloxone nor buprenorphine blocks it.",
        "If you are on buprenorphine and still use street opioids, test for xylazine, use less "
        "and don't use alone. In an overdose call 911, give naloxone and support breathing.",
        ["cdc-xylazine", "nida-xylazine", "samhsa-tip63"]),
    "medetomidine": (
        "Medetomidine is a strong sedative now found in the opioid supply. With buprenorphine it "
        "still causes deep sedation and a slow heart rate, and its withdrawal is not treated by "
        "buprenorphine alone and can be dangerous.",
        "If you still use street opioids, use less and don't use alone. If you use every day, "
        "tell your clinic; withdrawal with a racing heart, very high blood pressure or confusion "
        "needs emergency care.",
        ["mmwr-medetomidine-2025", "cdc-medetomidine-qa"]),
}
for d, (s, adv, srcs) in BUP_DEP.items():
    add("buprenorphine", d, "unsafe", s, adv, srcs)

# ---- 4. Kratom with opioids and depressants: unsafe -------------------------
for o in FULL_AGONISTS:
    s = ("Kratom acts partly on the same receptors as opioids, and in CDC data most deaths with "
         "kratom also involved other drugs, often opioids. Adding {o} stacks the sedation. "
         "{n}").format(o=SHORT[o], n=ON[o])
    adv = ("Use less of each and don't use alone. Carry naloxone. " + OX[o])
    add("kratom", o, "unsafe", s, adv, ["mmwr-kratom-2019", "nida-kratom"] + opioid_sources(o))

KRATOM_DEP = {
    "xylazine": "Kratom adds to the deep sedation xylazine causes, and xylazine is often hidden "
                "in street opioids.",
    "medetomidine": "Kratom adds to the deep sedation and slow heart rate medetomidine causes, "
                    "and medetomidine is often hidden in street opioids.",
    "benzodiazepines": "At higher doses kratom is sedating, and with benzos the drowsiness and "
                       "effect on breathing can add up.",
    "alcohol": "At higher doses kratom is sedating, and alcohol adds to it; both can also strain "
               "the liver.",
    "ghb": "At higher doses kratom is sedating, and GHB can cause sudden deep unconsciousness; "
           "together the effects add up.",
    "gabapentinoids": "At higher doses kratom is sedating, and gabapentin or pregabalin add to "
                      "it, which can slow breathing.",
}
for d, first in KRATOM_DEP.items():
    s = first + " In CDC data, most deaths with kratom involved other drugs as well."
    adv = ("Use a small amount of each, leave time between them, and don't use alone. Carry "
           "naloxone in case opioids are also involved.")
    add("kratom", d, "unsafe", s, adv, ["mmwr-kratom-2019", "nida-kratom"] + DEP_SOURCES[d][:1])

add("kratom", "buprenorphine", "caution",
    "Buprenorphine blocks much of kratom's opioid-like effect, so people may take more kratom "
    "to feel it. Some people switch from kratom to buprenorphine; starting it too soon after a "
    "lot of kratom may cause withdrawal.",
    "Tell your prescriber about kratom use so they can plan the start. Avoid large kratom doses "
    "on top of buprenorphine.",
    ["nida-kratom", "samhsa-tip63"])
add("kratom", "naloxone", "low-risk-decrease",
    "Part of kratom's effect is opioid-like, so naloxone may reverse some of it. Kratom "
    "overdoses usually involve other drugs too, often opioids.",
    "If someone who used kratom won't wake or is breathing slowly, call 911 and give naloxone. "
    "Stay with them until help arrives.",
    ["nida-kratom", "mmwr-kratom-2019", "fda-naloxone"])
add("kratom", "cocaine", "caution",
    "At low doses kratom acts like a stimulant, so with cocaine the strain on the heart can add "
    "up. Seizures have been reported with high doses of kratom, and cocaine can cause them too.",
    "Use small amounts, don't redose quickly, and stop if you feel chest pain or your heart "
    "racing. Test cocaine for fentanyl and carry naloxone.",
    ["nida-kratom", "fda-kratom", "nida-cocaine"])
add("kratom", "methamphetamine", "caution",
    "At low doses kratom acts like a stimulant, so with meth the strain on the heart can add up. "
    "Seizures have been reported with high kratom doses, and meth can cause them too.",
    "Use small amounts, drink water, and stop if you feel chest pain or a racing heart. Carry "
    "naloxone in case your meth contains fentanyl.",
    ["nida-kratom", "fda-kratom", "nida-meth"])
add("kratom", "adhd-stimulants", "caution",
    "At low doses kratom acts like a stimulant, so with ADHD stimulants heart rate and blood "
    "pressure can rise more. High kratom doses have been linked to seizures.",
    "Keep both doses low and don't take extra stimulant medicine. Stop and get help for chest "
    "pain, a pounding heart or a seizure.",
    ["nida-kratom", "fda-kratom", "medlineplus-amphetamine"])
for other in ["modafinil", "mdma", "ketamine", "cannabis", "psychedelics", "dxm", "ssris-snris",
              "maois", "antipsychotics", "lithium"]:
    unknown("kratom", other, sources=["fda-kratom"])

# ---- 5. Naloxone --------------------------------------------------------------
NX_OPIOID = {
    "fentanyl": ("Naloxone pushes fentanyl off the body's opioid receptors and can bring back "
                 "breathing within minutes. Fentanyl overdoses sometimes need more than one dose.",
                 "If someone won't wake or is barely breathing, call 911 and give naloxone; give "
                 "another dose after 2 to 3 minutes if there is no change. Stay with them: they "
                 "may feel sick from withdrawal, so don't let them use more right away."),
    "carfentanil": ("Naloxone reverses carfentanil, but carfentanil is so strong that two or more "
                    "doses are often needed.",
                    "Call 911, give naloxone, and give another dose every 2 to 3 minutes while "
                    "breathing stays slow. Give rescue breaths if you know how, and stay with the "
                    "person."),
    "nitazenes": ("Naloxone reverses nitazenes, but nitazene overdoses often need more than one "
                  "dose, and the overdose can come back.",
                  "Call 911, give naloxone, and give more every 2 to 3 minutes while breathing "
                  "stays slow. Stay with the person, because the nitazene may outlast naloxone."),
    "heroin": ("Naloxone pushes heroin off the body's opioid receptors and can bring back "
               "breathing within minutes. Most heroin now contains fentanyl, which may need more "
               "than one dose.",
               "Call 911 and give naloxone to anyone who won't wake or is barely breathing, and "
               "give more after 2 to 3 minutes if needed. Stay with them; withdrawal can follow, "
               "so don't let them use more right away."),
    "prescription-opioids": ("Naloxone reverses oxycodone, hydrocodone, morphine and similar "
                             "opioids. Long-acting pills can outlast it, so the overdose can come "
                             "back.",
                             "Call 911 and give naloxone to anyone who won't wake or is barely "
                             "breathing. Stay with them for a few hours, especially after "
                             "extended-release pills."),
    "methadone": ("Naloxone reverses methadone, but it wears off in 30 to 90 minutes while "
                  "methadone lasts a day or more, so the overdose can come back.",
                  "Call 911 and give naloxone; give more if breathing slows again. The person "
                  "needs to be watched for many hours, ideally in a hospital."),
    "tramadol": ("Naloxone reverses tramadol's effect on breathing, but it does not stop the "
                 "seizures tramadol can cause.",
                 "Call 911 and give naloxone if breathing is slow. If there is a seizure, move "
                 "hard things away, don't hold the person down, and put them on their side after."),
    "other-opioids": ("Naloxone reverses codeine and similar opioids. It does not fix heart "
                      "rhythm problems from very large loperamide doses.",
                      "Call 911 and give naloxone to anyone who won't wake or is barely "
                      "breathing, and stay with them. Tell the 911 operator if large amounts of "
                      "loperamide were taken."),
}
for o, (s, adv) in NX_OPIOID.items():
    add("naloxone", o, "low-risk-decrease", s, adv,
        ["fda-naloxone", "cdc-naloxone"] + opioid_sources(o))
add("naloxone", "buprenorphine", "low-risk-decrease",
    "Naloxone can reverse a buprenorphine overdose, but buprenorphine holds on to receptors "
    "tightly, so higher or repeated doses may be needed. Suboxone contains naloxone to "
    "discourage injecting; taken under the tongue as directed, the naloxone has little effect.",
    "Call 911 and give naloxone if someone on buprenorphine won't wake or is barely breathing, "
    "especially if other drugs were used. Keep giving rescue breaths and stay with them.",
    ["fda-naloxone", "samhsa-tip63", "medlineplus-buprenorphine"])

NX_DEP = {
    "xylazine": ("Naloxone does not reverse xylazine, because xylazine is not an opioid. But "
                 "xylazine is almost always mixed with fentanyl, so naloxone is still the right "
                 "first step in an overdose.",
                 "Give naloxone, call 911 and focus on breathing (rescue breaths) rather than "
                 "fully waking the person. If they are breathing well but still sleepy, put them "
                 "on their side and stay with them instead of giving dose after dose.",
                 ["cdc-xylazine", "nida-xylazine", "fda-naloxone"]),
    "medetomidine": ("Naloxone does not reverse medetomidine, which is not an opioid. It is "
                     "usually mixed with fentanyl, so naloxone is still the right first step.",
                     "Give naloxone, call 911 and support breathing. A person may stay very "
                     "sleepy with a slow heartbeat after naloxone, so keep them on their side and "
                     "wait with them for help.",
                     ["cdc-medetomidine-qa", "mmwr-medetomidine-2025", "fda-naloxone"]),
    "benzodiazepines": ("Naloxone does not reverse benzos, but it is safe to give and helps if "
                        "opioids are involved, as with fake 'bars' that contain fentanyl.",
                        "If someone won't wake or is breathing slowly, give naloxone anyway and "
                        "call 911. Put them on their side and stay with them.",
                        ["fda-naloxone", "cdc-naloxone", "fda-opioid-benzo-2016"]),
    "alcohol": ("Naloxone does not reverse alcohol poisoning, but it does no harm and helps if "
                "opioids are also involved.",
                "If someone who has been drinking won't wake or is breathing slowly, give "
                "naloxone if opioids might be involved, call 911 and put them on their side.",
                ["fda-naloxone", "cdc-naloxone", "niaaa-medicines"]),
    "ghb": ("Naloxone does not reverse GHB, but it does no harm and helps if opioids are also "
            "involved.",
            "If someone on G can't be woken, call 911, put them on their side and watch their "
            "breathing. Give naloxone if opioids might be involved.",
            ["fda-naloxone", "dea-ghb"]),
    "gabapentinoids": ("Naloxone does not reverse gabapentin or pregabalin, but these are often "
                       "taken with opioids, and naloxone reverses the opioid part.",
                       "If someone won't wake or is breathing slowly, give naloxone, call 911 "
                       "and stay with them.",
                       ["fda-naloxone", "fda-gabapentinoids-2019"]),
}
for d, (s, adv, srcs) in NX_DEP.items():
    add("naloxone", d, "low-risk-no-synergy", s, adv, srcs)

NX_OTHER = {
    "modafinil": "Naloxone has no effect on modafinil, and the two don't interact.",
    "cocaine": "Naloxone has no effect on cocaine itself, but cocaine is sometimes contaminated "
               "with fentanyl, so naloxone can still save a life.",
    "methamphetamine": "Naloxone has no effect on meth itself, but meth is sometimes contaminated "
                       "with fentanyl, so naloxone can still save a life.",
    "mdma": "Naloxone has no effect on MDMA and the two don't interact. It will help only if "
            "opioids were also taken.",
    "ketamine": "Naloxone does not reverse ketamine, and the two don't interact. It will help "
                "only if opioids were also taken.",
    "cannabis": "Naloxone has no effect on cannabis and the two don't interact.",
    "psychedelics": "Naloxone has no effect on LSD or psilocybin and the two don't interact.",
    "dxm": "DXM is not a typical opioid, and naloxone does not reliably reverse it. It is still "
           "safe to give if you are unsure what was taken.",
    "ssris-snris": "Naloxone and antidepressants don't interact.",
    "maois": "Naloxone and MAOIs don't interact.",
    "antipsychotics": "Naloxone and antipsychotics don't interact.",
    "lithium": "Naloxone and lithium don't interact.",
    "adhd-stimulants": "Naloxone has no effect on ADHD stimulants. Fake 'Adderall' pills bought "
                       "on the street may contain other drugs, though.",
}
for o, s in NX_OTHER.items():
    adv = ("If someone won't wake or is breathing slowly, it is always safe to give naloxone "
           "and call 911; it does no harm if no opioid was taken.")
    add("naloxone", o, "low-risk-no-synergy", s, adv, ["fda-naloxone", "cdc-naloxone", HOME[o]])

# ---- 6. Depressant with depressant ------------------------------------------
add("xylazine", "medetomidine", "dangerous",
    "Xylazine and medetomidine are both animal sedatives of the same type, and both are found "
    "in the fentanyl supply, sometimes together. Together they cause very deep sedation, a "
    "dangerously slow heart rate and low blood pressure, and naloxone reverses neither.",
    "Use drug checking where you can, use less and don't use alone. In an overdose call 911, "
    "give naloxone for any opioid and support breathing; daily use can cause a dangerous "
    "withdrawal, so ask for medical help to stop.",
    ["cfsre-medetomidine-2024", "mmwr-medetomidine-2025", "cdc-xylazine"])
for x, xname in [("xylazine", "Xylazine"), ("medetomidine", "Medetomidine")]:
    xs = DEP_SOURCES[x]
    add(x, "benzodiazepines", "dangerous",
        "%s and benzos both cause deep sedation and slow breathing, and naloxone reverses "
        "neither. Fake pills and street opioids can contain both without you knowing." % xname,
        "Avoid this mix; test drugs where you can, use less and don't use alone. In an overdose "
        "call 911, give naloxone in case opioids are involved, and give rescue breaths.",
        xs + ["fda-benzo-boxed-2020"])
    add(x, "alcohol", "dangerous",
        "%s and alcohol both sedate and slow breathing and heart rate. Together they can cause "
        "long blackouts, dangerous cold and choking on vomit." % xname,
        "Don't drink when using drugs that may contain %s. If someone can't be woken, call 911, "
        "give naloxone in case of opioids, and put them on their side." % x,
        xs + ["niaaa-medicines"])
    add(x, "ghb", "dangerous",
        "%s and GHB both cause deep sedation, and GHB can knock someone out suddenly. Naloxone "
        "does not reverse either one." % xname,
        "Avoid this mix. If someone can't be woken, call 911, put them on their side and watch "
        "their breathing; give naloxone in case opioids are involved.",
        xs + ["dea-ghb"])
    add(x, "gabapentinoids", "dangerous",
        "%s causes deep sedation and slow breathing, and gabapentin or pregabalin add to it. "
        "These are often used together with street opioids, which makes it worse." % xname,
        "Use the lowest dose of gabapentin or pregabalin, don't use alone and carry naloxone. "
        "Call 911 if someone can't be woken.",
        xs + ["fda-gabapentinoids-2019"])

add("benzodiazepines", "alcohol", "dangerous",
    "Benzos and alcohol both slow the brain and breathing, and together far more than either "
    "alone. Blackouts, falls and deaths are common with this mix, and fake benzo pills make "
    "the dose hard to know.",
    "Avoid drinking on benzos; if you do, use much less of both and stay with people you trust. "
    "Put a very drowsy person on their side, and call 911 if they can't be woken.",
    ["fda-benzo-boxed-2020", "niaaa-medicines"])
add("benzodiazepines", "ghb", "dangerous",
    "Benzos and GHB both slow the brain and breathing, and GHB has a tiny gap between a "
    "pleasant dose and coma. Together they can cause sudden unconsciousness and stop breathing.",
    "Avoid this mix. If you do it, use far less of each, measure G with a syringe and don't "
    "redose; never use alone, and call 911 if someone can't be woken.",
    ["dea-ghb", "fda-benzo-boxed-2020"])
add("benzodiazepines", "gabapentinoids", "unsafe",
    "Gabapentin or pregabalin add to the sleepiness and slowed breathing benzos cause; the FDA "
    "warned in 2019 about breathing problems when gabapentinoids are taken with other "
    "depressants.",
    "Take both only as prescribed and don't take extra to boost the effect. Don't use alone, "
    "and don't drive.",
    ["fda-gabapentinoids-2019", "fda-benzo-boxed-2020"])
add("alcohol", "ghb", "dangerous",
    "Alcohol and GHB both slow the brain and breathing, and alcohol makes GHB's narrow safe "
    "range even narrower. This mix causes many GHB overdoses: sudden deep sleep, throwing up and "
    "stopped breathing.",
    "Don't drink on G. If you do, use a much smaller, measured dose and don't redose; stay with "
    "people who will put you on your side and call 911 if you can't be woken.",
    ["dea-ghb", "niaaa-medicines"])
add("alcohol", "gabapentinoids", "unsafe",
    "Alcohol adds to the drowsiness and dizziness of gabapentin or pregabalin, and together they "
    "can slow breathing. The FDA warned in 2019 about breathing problems with gabapentinoids and "
    "other depressants.",
    "Drink little or nothing while taking gabapentin or pregabalin. Don't drive, and don't take "
    "extra pills to feel more.",
    ["fda-gabapentinoids-2019", "niaaa-medicines"])
add("ghb", "gabapentinoids", "dangerous",
    "GHB can cause sudden deep unconsciousness, and gabapentin or pregabalin add to the "
    "sedation and slowed breathing. The safe range of GHB gets even narrower.",
    "Avoid this mix; if you do it, use much less G, measure it and don't redose. Never use "
    "alone, and call 911 if someone can't be woken.",
    ["dea-ghb", "fda-gabapentinoids-2019"])

# ---- 7. Opioids with stimulants ---------------------------------------------
STIM_FIRST = {
    "cocaine": "Cocaine can hide how sedated you are from {o}, so people use more, and when the "
               "cocaine wears off the opioid can stop breathing.",
    "methamphetamine": "Meth can hide how sedated you are from {o}, so people use more, and "
                       "when the meth wears off the opioid can stop breathing.",
    "adhd-stimulants": "ADHD stimulants can hide how sedated you are from {o}, and when they "
                       "wear off the opioid can catch up and stop breathing.",
}
STIM_SRC = {"cocaine": ["nida-cocaine"], "methamphetamine": ["nida-meth"],
            "adhd-stimulants": ["medlineplus-amphetamine"]}
for st in ["cocaine", "methamphetamine", "adhd-stimulants"]:
    lvl = "unsafe" if st == "adhd-stimulants" else "dangerous"
    for o in ["fentanyl", "carfentanil", "nitazenes", "heroin"]:
        s = STIM_FIRST[st].format(o=SHORT[o]) + " " + ON[o]
        if st == "adhd-stimulants":
            adv = ("Take stimulant medicine only as prescribed and don't use it to balance out "
                   "opioids. Don't use alone and carry naloxone. " + OX[o])
        else:
            adv = ("Test with fentanyl strips, use less of each, and don't use alone. Carry "
                   "naloxone and give it to anyone who won't wake or is breathing slowly, even "
                   "if you think they only used %s." % SHORT[st])
            if o in ("carfentanil", "nitazenes"):
                adv += " " + OX[o]
        add(st, o, lvl, s, adv, ["cdc-polysubstance"] + STIM_SRC[st] + opioid_sources(o))

add("cocaine", "prescription-opioids", "unsafe",
    "Cocaine can hide how drowsy oxycodone or similar pills make you, so you may take more, and "
    "the opioid can catch up when the cocaine wears off. Pills not from a pharmacy may contain "
    "fentanyl.",
    "Use less of each, test pills and powder with fentanyl strips, and don't use alone. Carry "
    "naloxone.",
    ["cdc-polysubstance", "nida-cocaine", "nida-opioids"])
add("methamphetamine", "prescription-opioids", "unsafe",
    "Meth can hide how drowsy oxycodone or similar pills make you, so you may take more, and the "
    "opioid can catch up when the meth wears off. Pills not from a pharmacy may contain fentanyl.",
    "Use less of each, test pills with fentanyl strips, and don't use alone. Carry naloxone.",
    ["cdc-polysubstance", "nida-meth", "nida-opioids"])
add("cocaine", "methadone", "unsafe",
    "Cocaine and methadone can both change heart rhythm (a longer QT interval), which raises the "
    "risk of a dangerous irregular heartbeat. Cocaine can also hide methadone's sedation until it "
    "wears off.",
    "Tell your clinic if you use cocaine; they may check your heart with an ECG. Test cocaine for "
    "fentanyl, don't use alone and get help fast for fainting or a racing, uneven heartbeat.",
    ["samhsa-tip63", "medlineplus-methadone", "nida-cocaine"])
add("methamphetamine", "methadone", "unsafe",
    "Meth strains the heart and methadone can change heart rhythm, so together the risk of a "
    "dangerous heartbeat goes up. Meth can also hide methadone's sedation until it wears off.",
    "Tell your clinic if you use meth so they can check your heart. Don't use alone, carry "
    "naloxone, and get help for fainting or chest pain.",
    ["samhsa-tip63", "medlineplus-methadone", "nida-meth"])
add("cocaine", "tramadol", "unsafe",
    "Tramadol makes seizures more likely, and cocaine can cause seizures too, so together the "
    "risk goes up. Cocaine can also hide tramadol's drowsiness.",
    "Avoid this mix, or use small amounts of each. If someone has a seizure, move hard things "
    "away, put them on their side after and call 911.",
    ["medlineplus-tramadol", "nida-cocaine"])
add("methamphetamine", "tramadol", "unsafe",
    "Tramadol makes seizures more likely, and meth can cause seizures and overheating, so "
    "together the risk goes up. Both also raise serotonin a little.",
    "Avoid this mix, or use small amounts of each and stay cool. If someone has a seizure, move "
    "hard things away and call 911.",
    ["medlineplus-tramadol", "nida-meth"])
add("cocaine", "other-opioids", "unsafe",
    "Cocaine can hide how drowsy codeine or similar opioids make you. Very large doses of "
    "loperamide and cocaine can both upset heart rhythm, and together that risk is higher.",
    "Use less of each and don't use alone; carry naloxone. Never take large amounts of "
    "loperamide, and get help fast for fainting or a racing heart.",
    ["cdc-polysubstance", "nida-cocaine", "nida-opioids"])
add("methamphetamine", "other-opioids", "unsafe",
    "Meth can hide how drowsy codeine or similar opioids make you, so you may take more. Very "
    "large doses of loperamide add strain to a heart already pushed by meth.",
    "Use less of each and don't use alone; carry naloxone. Never take large amounts of "
    "loperamide.",
    ["cdc-polysubstance", "nida-meth", "nida-opioids"])
add("cocaine", "buprenorphine", "caution",
    "Buprenorphine's ceiling makes an opioid overdose less likely, but cocaine can hide "
    "drowsiness, and street cocaine is sometimes cut with fentanyl.",
    "Keep taking buprenorphine; it still protects you. Test cocaine with fentanyl strips, don't "
    "use alone and carry naloxone.",
    ["samhsa-tip63", "nida-cocaine", "cdc-polysubstance"])
add("methamphetamine", "buprenorphine", "caution",
    "Buprenorphine's ceiling makes an opioid overdose less likely, but meth can hide drowsiness, "
    "and street meth is sometimes cut with fentanyl.",
    "Keep taking buprenorphine; it still protects you. Test meth with fentanyl strips, don't use "
    "alone and carry naloxone.",
    ["samhsa-tip63", "nida-meth", "cdc-polysubstance"])
add("adhd-stimulants", "prescription-opioids", "caution",
    "Stimulant medicine can hide how drowsy opioid pills make you, so you may not notice when "
    "you've taken too much. Street pills sold as either drug may be fake.",
    "Take both only as prescribed and from a pharmacy. Carry naloxone if you take opioids.",
    ["medlineplus-amphetamine", "nida-opioids"])
add("adhd-stimulants", "methadone", "caution",
    "Stimulants raise heart rate and methadone can change heart rhythm, and stimulants can hide "
    "methadone's drowsiness.",
    "Tell your methadone clinic about stimulant medicine so they can check your heart. Take it "
    "as prescribed and carry naloxone.",
    ["medlineplus-amphetamine", "samhsa-tip63", "medlineplus-methadone"])
add("adhd-stimulants", "tramadol", "unsafe",
    "Tramadol makes seizures more likely, and amphetamine-type stimulants can add to that risk "
    "and to serotonin effects. The stimulant can also hide tramadol's drowsiness.",
    "Ask your prescriber before combining them, and don't take extra of either. Get help for a "
    "seizure, fever, shaking or muscle twitching.",
    ["medlineplus-tramadol", "medlineplus-amphetamine"])
add("adhd-stimulants", "other-opioids", "caution",
    "Stimulant medicine can hide how drowsy codeine or similar opioids make you. Very large "
    "loperamide doses also strain the heart.",
    "Take both only as prescribed and never take large amounts of loperamide. Carry naloxone if "
    "you use opioids.",
    ["medlineplus-amphetamine", "nida-opioids"])
add("adhd-stimulants", "buprenorphine", "low-risk-no-synergy",
    "Many people take buprenorphine and ADHD stimulants together under a prescriber's care. "
    "They do not strongly change each other's effects.",
    "Take both as prescribed and tell each prescriber about the other. Street stimulant pills "
    "may be fake, so get yours from a pharmacy.",
    ["samhsa-tip63", "medlineplus-amphetamine"])

# MDMA with opioids
for o in ["fentanyl", "carfentanil", "nitazenes", "heroin", "prescription-opioids"]:
    add("mdma", o, "caution",
        "MDMA does not slow breathing, but it can hide how sedated you are from %s, and both "
        "can make it hard to pee. %s" % (SHORT[o], ON[o]),
        "Use less of each, don't use alone and carry naloxone. " + OX[o],
        ["nida-mdma", "cdc-polysubstance"] + opioid_sources(o))
add("mdma", "methadone", "unsafe",
    "Methadone has a small effect on serotonin and can change heart rhythm, and MDMA raises "
    "heart rate and serotonin. The FDA has warned about serotonin syndrome with methadone.",
    "Avoid this mix, or take a small MDMA dose and don't redose. Stay cool, sip water, and get "
    "help for fever, shaking, stiff muscles or a racing heart.",
    ["fda-opioid-serotonin-2016", "medlineplus-methadone", "nida-mdma"])
add("mdma", "tramadol", "dangerous",
    "Tramadol and MDMA both raise serotonin and both can cause seizures. Together, serotonin "
    "syndrome (fever, shaking, stiff muscles, confusion) and seizures are much more likely.",
    "Don't combine them; wait until tramadol is out of your system (at least a day or two). If "
    "someone gets very hot, stiff, confused or has a seizure, call 911 and cool them down.",
    ["medlineplus-tramadol", "medlineplus-serotonin", "boyer-2005"])
add("mdma", "other-opioids", "unsafe",
    "Some opioids in this group, such as tapentadol and meperidine, raise serotonin, so with "
    "MDMA they can cause serotonin syndrome. Others, like codeine, add sedation and hide how "
    "high you are.",
    "Avoid this mix, especially with tapentadol or meperidine. Use small amounts, don't redose, "
    "and get help for fever, shaking or confusion.",
    ["boyer-2005", "medlineplus-serotonin", "nida-mdma"])
add("mdma", "buprenorphine", "caution",
    "MDMA doesn't change buprenorphine much, but both can make it hard to pee, and MDMA can "
    "hide drowsiness if other drugs are also taken.",
    "Keep taking buprenorphine as prescribed. Use a small MDMA dose, sip water and take breaks "
    "from dancing.",
    ["nida-mdma", "medlineplus-buprenorphine"])

# Modafinil with opioids
add("modafinil", "methadone", "caution",
    "Modafinil changes how the liver breaks down some drugs, so it may lower or raise methadone "
    "levels; little research exists. It can also hide drowsiness.",
    "Tell your methadone clinic before starting or stopping modafinil so they can watch for "
    "withdrawal or too much sedation.",
    ["medlineplus-modafinil", "samhsa-tip63"])
add("modafinil", "buprenorphine", "caution",
    "Modafinil speeds up a liver enzyme that helps break down buprenorphine, so it may lower "
    "buprenorphine levels and bring on withdrawal symptoms. Little research exists.",
    "Tell your prescriber if you take modafinil. Report any new withdrawal symptoms rather than "
    "taking extra buprenorphine on your own.",
    ["medlineplus-modafinil", "medlineplus-buprenorphine"])
for o in ["fentanyl", "carfentanil", "nitazenes", "heroin", "prescription-opioids", "tramadol",
          "other-opioids"]:
    unknown("modafinil", o)

# ---- 8. Opioids with psychedelics, dissociatives and cannabis ---------------
KETAMINE_DANGER = ["fentanyl", "carfentanil", "nitazenes", "heroin", "methadone"]
for o in FULL_AGONISTS:
    if o in KETAMINE_DANGER:
        s = ("Ketamine alone rarely stops breathing, but with %s it deepens sedation, makes it "
             "hard to notice trouble, and raises the chance of throwing up while unable to move. "
             "%s" % (SHORT[o], ON[o]))
        lvl = "dangerous"
    else:
        s = ("Ketamine adds to the sedation of %s and can leave you unable to move or call for "
             "help. %s" % (SHORT[o], ON[o]))
        lvl = "unsafe"
    adv = ("Use much less of each, have a sober person with you, and lie on your side, not your "
           "back. Carry naloxone; it reverses the opioid but not the ketamine.")
    add("ketamine", o, lvl, s, adv,
        ["nida-psychedelics", "dea-ketamine", "cdc-polysubstance"] + opioid_sources(o))
add("ketamine", "buprenorphine", "caution",
    "Ketamine adds confusion and sedation to buprenorphine. Breathing problems are less likely "
    "than with full opioids, but you may be unable to move or help yourself.",
    "Use a small amount of ketamine, sit or lie on your side, and have a sober person with you.",
    ["nida-psychedelics", "medlineplus-buprenorphine"])

for o in FULL_AGONISTS:
    if o == "tramadol":
        continue
    if o == "methadone":
        s = ("Methadone and DXM both affect serotonin, and the FDA has reported serotonin "
             "syndrome with methadone. High-dose DXM also adds sedation and throwing up to "
             "methadone's slowed breathing.")
        srcs = ["fda-opioid-serotonin-2016", "medlineplus-dxm", "medlineplus-methadone"]
    elif o == "fentanyl":
        s = ("High-dose DXM adds sedation, confusion and throwing up to fentanyl's slowed "
             "breathing. The FDA has also linked fentanyl to serotonin syndrome with "
             "serotonin-raising drugs, and DXM is one.")
        srcs = ["fda-opioid-serotonin-2016", "medlineplus-dxm", "nida-fentanyl"]
    elif o == "other-opioids":
        s = ("High-dose DXM adds sedation to codeine or similar opioids, and opioids like "
             "tapentadol or meperidine add a serotonin risk. Some cough syrups contain more than "
             "one of these drugs.")
        srcs = ["medlineplus-dxm", "boyer-2005", "nida-opioids"]
    else:
        s = ("High-dose DXM causes confusion, sedation and throwing up, and with %s breathing can "
             "slow more. %s" % (SHORT[o], ON[o]))
        srcs = ["medlineplus-dxm", "nida-psychedelics"] + opioid_sources(o)
    add("dxm", o, "unsafe", s,
        "Avoid high DXM doses with opioids; use much less of both, lie on your side and have a "
        "sober person with you. Carry naloxone, and get help for fever, shaking or twitching "
        "muscles.", srcs)
add("dxm", "tramadol", "unsafe",
    "Tramadol and DXM both raise serotonin and both can cause seizures, so together serotonin "
    "syndrome and seizures are more likely. The sedation adds up too.",
    "Avoid this mix. If you do it, use a small amount of each; get help for fever, shaking, "
    "stiff muscles, confusion or a seizure.",
    ["medlineplus-tramadol", "medlineplus-dxm", "medlineplus-serotonin"])
add("dxm", "buprenorphine", "caution",
    "High-dose DXM adds sedation and confusion to buprenorphine. Serious breathing problems are "
    "less likely than with full opioids, but throwing up while sedated is a risk.",
    "Use a small DXM dose, lie on your side, and have someone with you.",
    ["medlineplus-dxm", "medlineplus-buprenorphine"])

for o in FULL_AGONISTS:
    if o == "methadone":
        s = ("Cannabis adds to methadone's drowsiness and dizziness. Many people on methadone use "
             "cannabis, and the main risk is more sedation, especially when a dose has just been "
             "raised.")
    elif o == "tramadol":
        s = ("Cannabis adds to tramadol's drowsiness and dizziness, and both can make you feel "
             "sick. Tramadol can also cause seizures on its own.")
    else:
        s = ("Cannabis adds to the drowsiness and dizziness of %s, and high doses can cause "
             "throwing up, which is risky when very sedated. %s" % (SHORT[o], ON[o]))
    add("cannabis", o, "caution", s,
        "Use less of both, stay sitting or lying on your side, and don't use alone. Carry "
        "naloxone for the opioid.",
        ["nida-cannabis"] + opioid_sources(o))
add("cannabis", "buprenorphine", "low-risk-no-synergy",
    "Cannabis use is common among people on buprenorphine and has not been shown to make "
    "treatment unsafe. Both can cause some drowsiness.",
    "Keep taking buprenorphine as prescribed; you don't have to stop it because you use "
    "cannabis. Avoid driving if you feel drowsy.",
    ["nida-cannabis", "samhsa-tip63"])

for o in FULL_AGONISTS:
    if o == "tramadol":
        continue
    unknown("psychedelics", o)
unknown("psychedelics", "buprenorphine")
add("psychedelics", "tramadol", "caution",
    "Tramadol makes seizures more likely and raises serotonin, and LSD and psilocybin also act "
    "on serotonin. Little research exists, but the mix could raise the chance of a seizure.",
    "Avoid taking them on the same day if you can. If you do, use a small amount of each and "
    "have a sober person with you.",
    ["medlineplus-tramadol", "nida-psychedelics"])

# ---- 9. Opioids with medications --------------------------------------------
MAOI_OPIOID = {
    "fentanyl": ("dangerous",
                 "The FDA has reported serotonin syndrome when fentanyl is used with "
                 "serotonin-raising medicines, and opioid labels warn against use with an MAOI "
                 "or within 14 days of stopping one. Reactions include fever, stiff muscles, "
                 "confusion or very deep sedation.",
                 ["fda-opioid-serotonin-2016", "medlineplus-serotonin", "nida-fentanyl"]),
    "carfentanil": ("unsafe",
                    "Little research exists, but opioid labels warn against using opioids with "
                    "an MAOI because of serotonin syndrome and stronger opioid effects. "
                    "Carfentanil is so strong that there is no room for an unexpected reaction.",
                    ["fda-opioid-serotonin-2016", "mmwr-carfentanil-2024"]),
    "nitazenes": ("unsafe",
                  "Little research exists, but opioid labels warn against using opioids with an "
                  "MAOI because of serotonin syndrome and stronger opioid effects. Nitazenes are "
                  "so strong that there is no room for an unexpected reaction.",
                  ["fda-opioid-serotonin-2016", "mmwr-nitazenes-2022"]),
    "heroin": ("unsafe",
               "MAOIs can make opioid effects stronger and harder to predict, and opioid labels "
               "warn against the mix. Most heroin now contains fentanyl, which has been linked to "
               "serotonin syndrome.",
               ["fda-opioid-serotonin-2016", "nida-opioids"]),
    "prescription-opioids": ("unsafe",
                             "Opioid labels warn against taking them with an MAOI or within 14 "
                             "days of stopping one, because the mix can cause serotonin syndrome "
                             "or stronger opioid effects.",
                             ["fda-opioid-serotonin-2016", "nida-opioids"]),
    "methadone": ("dangerous",
                  "Methadone has a mild serotonin effect, and with an MAOI it can cause serotonin "
                  "syndrome; the FDA warned about methadone and serotonin syndrome in 2016.",
                  ["fda-opioid-serotonin-2016", "gillman-2005", "medlineplus-methadone"]),
    "tramadol": ("dangerous",
                 "Tramadol raises serotonin and can cause seizures. With an MAOI, serotonin "
                 "syndrome and seizures become likely, and tramadol's label says not to combine "
                 "them.",
                 ["medlineplus-tramadol", "gillman-2005", "medlineplus-serotonin"]),
    "other-opioids": ("dangerous",
                      "Meperidine (Demerol) with an MAOI has caused deaths from serotonin "
                      "syndrome, and tapentadol carries a similar warning. Codeine and others in "
                      "this group are less studied, but labels still warn against the mix.",
                      ["gillman-2005", "fda-opioid-serotonin-2016", "boyer-2005"]),
}
for o, (lvl, s, srcs) in MAOI_OPIOID.items():
    add("maois", o, lvl, s,
        "Don't use opioids while on an MAOI or within 14 days of stopping one unless a doctor "
        "who knows about the MAOI says it's OK. If you get fever, shaking, stiff muscles, "
        "confusion or can't stay awake, call 911 and say you take an MAOI.", srcs)
add("maois", "buprenorphine", "caution",
    "Some buprenorphine labels advise against use with MAOIs because of possible serotonin "
    "syndrome or stronger opioid effects. Reports are rare.",
    "Make sure both prescribers know you take both. Get help for fever, shaking, stiff muscles "
    "or confusion.",
    ["fda-opioid-serotonin-2016", "medlineplus-buprenorphine"])

SSRI_OPIOID = {
    "fentanyl": ("caution",
                 "The FDA found that, among opioids, serotonin syndrome was reported most often "
                 "with fentanyl and methadone when used with serotonin-raising medicines such as "
                 "SSRIs. It is uncommon but can be serious.",
                 ["fda-opioid-serotonin-2016", "medlineplus-serotonin", "nida-fentanyl"]),
    "carfentanil": ("caution",
                    "Little research exists. Fentanyl-type opioids have been linked to rare "
                    "serotonin syndrome with antidepressants, and carfentanil is far stronger "
                    "than fentanyl.",
                    ["fda-opioid-serotonin-2016", "mmwr-carfentanil-2024"]),
    "nitazenes": ("caution",
                  "Little research exists. The main danger is the opioid itself; other strong "
                  "opioids have been linked to rare serotonin syndrome with antidepressants.",
                  ["fda-opioid-serotonin-2016", "mmwr-nitazenes-2022"]),
    "heroin": ("caution",
               "Heroin itself has little effect on serotonin, but most heroin now contains "
               "fentanyl, which has been linked to rare serotonin syndrome with antidepressants. "
               "Some antidepressants also add drowsiness.",
               ["fda-opioid-serotonin-2016", "nida-opioids"]),
    "prescription-opioids": ("caution",
                             "The FDA added warnings about rare serotonin syndrome with "
                             "antidepressants to opioid labels in 2016. Fluoxetine and paroxetine "
                             "can also weaken hydrocodone's pain relief.",
                             ["fda-opioid-serotonin-2016", "medlineplus-serotonin"]),
    "methadone": ("caution",
                  "Methadone has been linked to serotonin syndrome with antidepressants (FDA, "
                  "2016). Citalopram and escitalopram, like methadone, can also change heart "
                  "rhythm.",
                  ["fda-opioid-serotonin-2016", "samhsa-tip63", "medlineplus-methadone"]),
    "tramadol": ("unsafe",
                 "Tramadol raises serotonin and makes seizures more likely; with SSRIs or SNRIs "
                 "the risk of serotonin syndrome and seizures rises. Fluoxetine and paroxetine "
                 "also change how tramadol is broken down, making it less predictable.",
                 ["medlineplus-tramadol", "fda-opioid-serotonin-2016", "medlineplus-serotonin"]),
    "other-opioids": ("caution",
                      "Tapentadol and meperidine raise serotonin and can cause serotonin syndrome "
                      "with antidepressants. Fluoxetine and paroxetine also stop codeine from "
                      "working well, which can lead people to take more.",
                      ["fda-opioid-serotonin-2016", "boyer-2005"]),
}
for o, (lvl, s, srcs) in SSRI_OPIOID.items():
    if o == "tramadol":
        adv = ("Ask your prescriber for a different pain medicine if you can. If you take both, "
               "get help fast for shaking, twitching, sweating, fever, agitation or a seizure.")
    else:
        adv = ("Don't stop your antidepressant suddenly. Know the signs of serotonin syndrome "
               "(shaking, twitching, sweating, fever, agitation, racing heart) and get medical "
               "help if they start.")
    add("ssris-snris", o, lvl, s, adv, srcs)
add("ssris-snris", "buprenorphine", "low-risk-no-synergy",
    "Buprenorphine and SSRIs or SNRIs are often taken together. Serotonin syndrome has been "
    "reported only rarely.",
    "Take both as prescribed and tell each prescriber about the other. Get help for fever, "
    "shaking or twitching muscles.",
    ["samhsa-tip63", "fda-opioid-serotonin-2016"])

for o in FULL_AGONISTS + ["buprenorphine"]:
    if o == "methadone":
        s = ("Methadone and several antipsychotics, such as haloperidol, quetiapine and "
             "ziprasidone, can change heart rhythm (a longer QT interval), which can lead to a "
             "dangerous heartbeat. Both also cause drowsiness.")
        srcs = ["samhsa-tip63", "medlineplus-methadone", "nimh-medications"]
        adv = ("Tell your methadone clinic about any antipsychotic so they can check your heart "
               "with an ECG. Get help fast for fainting, a racing or uneven heartbeat.")
    elif o == "tramadol":
        s = ("Tramadol and many antipsychotics both make seizures more likely, and their "
             "drowsiness adds up.")
        srcs = ["medlineplus-tramadol", "nimh-medications"]
        adv = ("Take both only as prescribed and tell each prescriber about the other. Get help "
               "for a seizure or if you can't stay awake.")
    elif o == "buprenorphine":
        s = ("Sedating antipsychotics, such as quetiapine or olanzapine, add to buprenorphine's "
             "drowsiness, especially when either is new or the dose goes up.")
        srcs = ["medlineplus-buprenorphine", "nimh-medications"]
        adv = ("Take both as prescribed and tell each prescriber about the other. Avoid adding "
               "alcohol or other sedatives.")
    else:
        s = ("Many antipsychotics, such as quetiapine and olanzapine, cause drowsiness, and with "
             "%s the sedation adds up and breathing can slow more. %s" % (SHORT[o], ON[o]))
        srcs = ["fda-opioid-benzo-2016", "nimh-medications"] + opioid_sources(o)
        adv = ("Keep taking your antipsychotic and tell your prescriber about opioid use. Use "
               "less of the opioid, don't use alone and carry naloxone.")
    add("antipsychotics", o, "caution", s, adv, srcs)

add("lithium", "tramadol", "caution",
    "Lithium and tramadol can both add to serotonin effects, and tramadol makes seizures more "
    "likely. Serious reactions are uncommon.",
    "Tell your prescriber if you are given tramadol. Get help for shaking, confusion, fever or "
    "a seizure.",
    ["medlineplus-tramadol", "medlineplus-lithium"])
for o in ["fentanyl", "carfentanil", "nitazenes", "heroin", "prescription-opioids", "methadone",
          "other-opioids", "buprenorphine"]:
    unknown("lithium", o)

# ---- 10. Xylazine and medetomidine with other drugs -------------------------
for x, xname in [("xylazine", "Xylazine"), ("medetomidine", "Medetomidine")]:
    xs = DEP_SOURCES[x]
    add(x, "cocaine", "caution",
        "%s lowers heart rate and blood pressure while cocaine raises them, which strains the "
        "heart in unpredictable ways. %s has mostly been found in opioids, but people who use "
        "both may get it without knowing." % (xname, xname),
        "Test drugs where you can and don't use alone. If someone is very sleepy after using, "
        "call 911 and give naloxone in case opioids are also involved.",
        xs + ["nida-cocaine", "cdc-polysubstance"])
    add(x, "methamphetamine", "caution",
        "%s lowers heart rate and blood pressure while meth raises them, which strains the heart "
        "in unpredictable ways. Meth can also hide the sedation until it wears off." % xname,
        "Test drugs where you can and don't use alone. If someone is very sleepy after using, "
        "call 911 and give naloxone in case opioids are also involved.",
        xs + ["nida-meth", "cdc-polysubstance"])
    add(x, "ketamine", "unsafe",
        "%s causes deep sedation and ketamine causes confusion and trouble moving; together a "
        "person may be unable to move, protect their airway or call for help." % xname,
        "Avoid this mix. If it happens, keep the person on their side, watch their breathing and "
        "call 911 if they can't be woken.",
        xs + ["nida-psychedelics"])
    add(x, "dxm", "unsafe",
        "High-dose DXM causes sedation, confusion and throwing up, and %s adds deep sedation "
        "and a slow heart rate. Naloxone reverses neither." % x,
        "Avoid this mix. If it happens, keep the person on their side, watch their breathing and "
        "call 911 if they can't be woken.",
        xs + ["medlineplus-dxm"])
    add(x, "antipsychotics", "caution",
        "%s lowers blood pressure and causes deep sedation, and many antipsychotics also lower "
        "blood pressure and cause drowsiness. Together, fainting and oversedation are more "
        "likely." % xname,
        "Keep taking your antipsychotic as prescribed and tell your prescriber about any street "
        "opioid use. Don't use alone, and get up slowly.",
        xs + ["nimh-medications"])
    for other in ["modafinil", "mdma", "cannabis", "psychedelics", "ssris-snris", "maois",
                  "lithium", "adhd-stimulants"]:
        unknown(x, other)

# ---- 11. Depressants with stimulants ------------------------------------------
add("benzodiazepines", "cocaine", "caution",
    "Benzos can take the edge off cocaine, which may lead you to use more of both. When the "
    "cocaine wears off, the benzo's sleepiness can hit hard, and fake benzo pills may contain "
    "fentanyl.",
    "Use less of each and don't redose the benzo to come down. Test pills with fentanyl strips "
    "and carry naloxone.",
    ["cdc-polysubstance", "fda-benzo-boxed-2020", "nida-cocaine"])
add("benzodiazepines", "methamphetamine", "caution",
    "Benzos are often used to come down from meth, but the meth can hide how much benzo you've "
    "taken until it wears off. Fake benzo pills may contain fentanyl.",
    "Use the smallest benzo dose and don't keep redosing to sleep. Test pills and carry "
    "naloxone.",
    ["cdc-polysubstance", "fda-benzo-boxed-2020", "nida-meth"])
add("benzodiazepines", "mdma", "caution",
    "Benzos dull MDMA's effects, which can lead to taking more MDMA. When MDMA fades, benzo "
    "sleepiness can be stronger than expected.",
    "Don't redose MDMA to push through the benzo. Use small amounts and stay with friends.",
    ["nida-mdma", "fda-benzo-boxed-2020"])
add("benzodiazepines", "adhd-stimulants", "caution",
    "Stimulants and benzos work in opposite ways, so each can hide the other. When the stimulant "
    "wears off, benzo sleepiness can be stronger than expected.",
    "Take both only as prescribed. Don't use one to cancel out the other.",
    ["medlineplus-amphetamine", "fda-benzo-boxed-2020"])
add("benzodiazepines", "modafinil", "low-risk-decrease",
    "Modafinil can make some benzos, such as triazolam, wear off faster, and it works against "
    "their sleepiness.",
    "Take both as prescribed. Don't take more benzo to make up for it.",
    ["medlineplus-modafinil", "fda-benzo-boxed-2020"])

add("alcohol", "cocaine", "unsafe",
    "When you drink and use cocaine, your liver makes a new substance called cocaethylene, which "
    "lasts longer and is harder on the heart than cocaine alone. People who mix them have a "
    "much higher risk of sudden death.",
    "Avoid drinking while using cocaine, or keep both small and space them out. Drink water, "
    "don't redose, and get help fast for chest pain, a racing heart or fainting.",
    ["vanamsterdam-2024", "nida-cocaine"])
add("alcohol", "methamphetamine", "caution",
    "Meth hides how drunk you are, so you may drink much more than you mean to. Both also strain "
    "the heart and dry you out.",
    "Decide how much you'll drink before you start and stick to it. Drink water and rest.",
    ["nida-meth", "cdc-polysubstance"])
add("alcohol", "mdma", "caution",
    "Alcohol and MDMA both dry you out, and MDMA hides how drunk you are. Together the risk of "
    "overheating and poor choices goes up.",
    "Keep drinks to a minimum and sip water, but not too much: about a pint (500 ml) an hour "
    "while dancing. Take breaks to cool down.",
    ["nida-mdma", "cdc-polysubstance"])
add("alcohol", "adhd-stimulants", "caution",
    "Stimulant medicine hides how drunk you are, so you may drink more than you mean to, and both "
    "raise strain on the heart.",
    "Limit drinking on days you take stimulant medicine, and don't take extra to stay up.",
    ["medlineplus-amphetamine", "niaaa-medicines"])
unknown("alcohol", "modafinil", sources=["medlineplus-modafinil"],
        extra_advice="The modafinil label advises avoiding alcohol because the mix hasn't been "
                     "studied.")

for st, stname, lvl in [("cocaine", "cocaine", "unsafe"), ("methamphetamine", "meth", "unsafe"),
                        ("mdma", "MDMA", "unsafe"), ("adhd-stimulants", "stimulant medicine",
                                                     "caution")]:
    add("ghb", st, lvl,
        "%s hides how sedated GHB is making you, so people often take more G. When the %s wears "
        "off, the G can cause sudden deep unconsciousness." % (cap(stname), stname),
        "Measure G carefully, keep track of the time of each dose, and don't redose within two "
        "hours. Stay with people who will put you on your side and call 911 if you can't be "
        "woken.",
        ["dea-ghb", "cdc-polysubstance", HOME[st]])
unknown("ghb", "modafinil")
for st in ["cocaine", "methamphetamine", "mdma", "adhd-stimulants", "modafinil"]:
    unknown("gabapentinoids", st)

# ---- 12. Stimulant with stimulant ---------------------------------------------
add("cocaine", "methamphetamine", "unsafe",
    "Both push heart rate and blood pressure up, and together the risk of heart attack, stroke, "
    "overheating and seizures is much higher.",
    "Avoid this mix, or use small amounts of each with long breaks. Drink water, rest, and get "
    "help fast for chest pain, severe headache or a seizure.",
    ["cdc-polysubstance", "nida-cocaine", "nida-meth"])
add("cocaine", "mdma", "unsafe",
    "Both strain the heart, and cocaine can dull MDMA's good feelings so people take more. "
    "Together, overheating and heart problems are more likely.",
    "Avoid mixing them. If you do, use small amounts, don't redose, and take breaks to cool "
    "down.",
    ["cdc-polysubstance", "nida-cocaine", "nida-mdma"])
add("methamphetamine", "mdma", "unsafe",
    "Both raise body heat, heart rate and blood pressure, and together overheating, heart "
    "problems and seizures are much more likely. The mix may also be harder on the brain.",
    "Avoid this mix. If you do it, use small amounts, stay cool, sip water and get help for "
    "confusion, a very high temperature or a seizure.",
    ["cdc-polysubstance", "nida-meth", "nida-mdma"])
add("cocaine", "adhd-stimulants", "unsafe",
    "Cocaine and stimulant medicine both raise heart rate and blood pressure, and together they "
    "raise the risk of heart attack, stroke and seizures.",
    "Don't use cocaine on days you take stimulant medicine. Get help fast for chest pain or a "
    "severe headache.",
    ["nida-cocaine", "medlineplus-amphetamine"])
add("methamphetamine", "adhd-stimulants", "unsafe",
    "Meth and ADHD stimulants work in much the same way, so together they act like a big dose "
    "of meth, with strain on the heart, overheating and risk of psychosis.",
    "Don't combine them. If you do, skip your stimulant medicine that day, use less meth, and "
    "get help for chest pain or seeing and hearing things.",
    ["nida-meth", "medlineplus-amphetamine"])
add("mdma", "adhd-stimulants", "unsafe",
    "Amphetamine-type medicine and MDMA both raise heart rate, blood pressure and body heat. "
    "Together the risk of overheating and heart problems is higher.",
    "Skip your stimulant medicine on a day you take MDMA, or use a smaller MDMA dose. Stay cool "
    "and take breaks.",
    ["nida-mdma", "medlineplus-amphetamine"])
for st in ["cocaine", "methamphetamine", "mdma", "adhd-stimulants"]:
    add("modafinil", st, "caution",
        "Modafinil keeps you awake and raises heart rate a little; with %s the strain on the "
        "heart and the loss of sleep add up." % SHORT[st],
        "Use less of both, don't stack doses to stay awake, and plan time to sleep. Get help for "
        "chest pain or a racing heart.",
        ["medlineplus-modafinil", HOME[st]])

# ---- 13. Depressants with psychedelics, dissociatives, cannabis --------------
add("ketamine", "benzodiazepines", "unsafe",
    "Benzos add to ketamine's sedation and memory loss. Together a person can become unable to "
    "move, protect their airway or remember what happened.",
    "Use much less of each, sit or lie on your side, and have a sober person with you.",
    ["nida-psychedelics", "fda-benzo-boxed-2020"])
add("ketamine", "alcohol", "dangerous",
    "Alcohol and ketamine together make throwing up likely while you can't move well, and "
    "breathing can slow. Both cloud judgment, so trouble is easy to miss.",
    "Don't drink when you take ketamine. If someone can't move or respond, put them on their "
    "side and call 911.",
    ["nida-psychedelics", "dea-ketamine", "niaaa-medicines"])
add("ketamine", "ghb", "dangerous",
    "GHB and ketamine both cause deep sedation, and together they can cause sudden "
    "unconsciousness, throwing up and slowed breathing.",
    "Avoid this mix. If someone can't be woken, put them on their side and call 911.",
    ["dea-ghb", "dea-ketamine"])
add("ketamine", "gabapentinoids", "caution",
    "Gabapentin or pregabalin add drowsiness and dizziness to ketamine's confusion, making falls "
    "and blackouts more likely.",
    "Use less of each, sit down, and have a sober person with you.",
    ["nida-psychedelics", "fda-gabapentinoids-2019"])
add("dxm", "benzodiazepines", "unsafe",
    "High-dose DXM causes sedation, confusion and throwing up, and benzos add sleepiness and "
    "slowed breathing. Together a person may be unable to protect their airway.",
    "Avoid this mix, or use small amounts of each. Lie on your side and have a sober person with "
    "you.",
    ["medlineplus-dxm", "fda-benzo-boxed-2020"])
add("dxm", "alcohol", "unsafe",
    "Alcohol and high-dose DXM together make sedation, throwing up and slowed breathing more "
    "likely. Some cough products also contain acetaminophen, which with alcohol can harm the "
    "liver.",
    "Don't drink when taking DXM. Check the label and avoid products with other active "
    "ingredients.",
    ["medlineplus-dxm", "niaaa-medicines"])
add("dxm", "ghb", "unsafe",
    "GHB can cause sudden deep unconsciousness, and high-dose DXM adds sedation and throwing up.",
    "Avoid this mix. If someone can't be woken, put them on their side and call 911.",
    ["dea-ghb", "medlineplus-dxm"])
add("dxm", "gabapentinoids", "caution",
    "Gabapentin or pregabalin add drowsiness and dizziness to DXM's confusion, making falls and "
    "oversedation more likely.",
    "Use less of each and have a sober person with you.",
    ["medlineplus-dxm", "fda-gabapentinoids-2019"])
add("psychedelics", "benzodiazepines", "low-risk-decrease",
    "Benzos calm anxiety and can soften or shorten a hard LSD or psilocybin trip.",
    "Keep a small benzo dose for emergencies rather than taking it early. Use benzos from a "
    "pharmacy, since fake pills may contain fentanyl.",
    ["nida-psychedelics", "fda-benzo-boxed-2020"])
add("psychedelics", "alcohol", "low-risk-decrease",
    "Alcohol tends to dull a trip, and people often feel sick or confused when mixing them.",
    "Keep drinking light. Drink water and stay in a safe place with people you trust.",
    ["nida-psychedelics", "niaaa-medicines"])
unknown("psychedelics", "ghb")
unknown("psychedelics", "gabapentinoids")
add("cannabis", "benzodiazepines", "caution",
    "Cannabis adds to benzo drowsiness and memory problems. Driving and falls become riskier.",
    "Use less of each and don't drive. Fake benzo pills may contain fentanyl, so test them.",
    ["nida-cannabis", "fda-benzo-boxed-2020"])
add("cannabis", "alcohol", "caution",
    "Alcohol can make THC stronger, and the mix often causes dizziness, throwing up ('greening "
    "out') and much worse driving.",
    "Use less of each and start with the alcohol low. Never drive after mixing.",
    ["nida-cannabis", "niaaa-medicines"])
add("cannabis", "ghb", "caution",
    "Cannabis adds to GHB's sedation and can make nausea and throwing up more likely while "
    "drowsy.",
    "Use a small, measured dose of G and stay with people who will put you on your side.",
    ["nida-cannabis", "dea-ghb"])
add("cannabis", "gabapentinoids", "caution",
    "Cannabis adds to the drowsiness and dizziness of gabapentin or pregabalin.",
    "Use less cannabis when you start or raise your dose, and don't drive.",
    ["nida-cannabis", "fda-gabapentinoids-2019"])

# ---- 14. Stimulants with psychedelics, dissociatives, cannabis --------------
for st, stn in [("cocaine", "Cocaine"), ("methamphetamine", "Meth"),
                ("adhd-stimulants", "Stimulant medicine")]:
    add("ketamine", st, "caution",
        "%s and ketamine both raise heart rate and blood pressure, and the stimulant can hide how "
        "confused you are." % stn,
        "Use small amounts, don't redose quickly, and get help for chest pain or a severe "
        "headache.",
        ["nida-psychedelics", HOME[st]])
    add("psychedelics", st, "caution",
        "%s adds strain on the heart and can make a trip more anxious or paranoid." % stn,
        "Use small amounts, stay somewhere calm with people you trust, and avoid redosing the "
        "stimulant.",
        ["nida-psychedelics", HOME[st]])
    add("dxm", st, "caution",
        "DXM and %s both raise heart rate and blood pressure, and together they can raise body "
        "heat and serotonin effects." % SHORT[st],
        "Use small amounts, stay cool, and get help for fever, shaking or confusion.",
        ["medlineplus-dxm", HOME[st]])
    add("cannabis", st, "caution",
        "Cannabis raises heart rate too, so with %s the heart works harder, and anxiety or "
        "paranoia is more likely." % SHORT[st],
        "Use less of each and sit down if your heart races. Get help for chest pain.",
        ["nida-cannabis", HOME[st]])
add("ketamine", "mdma", "caution",
    "Ketamine adds confusion and trouble moving to MDMA, which can make overheating or falls "
    "harder to notice.",
    "Use a small amount of ketamine, sit down, and stay with friends who can watch for "
    "overheating.",
    ["nida-psychedelics", "nida-mdma"])
add("psychedelics", "mdma", "caution",
    "LSD or psilocybin with MDMA makes a stronger, less predictable experience, and MDMA's "
    "overheating and heart strain still apply.",
    "Use smaller amounts of both than usual, stay cool and have a sober friend around.",
    ["nida-psychedelics", "nida-mdma"])
add("dxm", "mdma", "unsafe",
    "DXM and MDMA both raise serotonin and body heat, so together serotonin syndrome and "
    "overheating are more likely. MDMA also slows how fast the body clears DXM, making it "
    "stronger and longer.",
    "Avoid this mix. If you do it, use small amounts, stay cool, and call 911 for fever, "
    "stiff muscles, shaking or confusion.",
    ["medlineplus-dxm", "medlineplus-serotonin", "nida-mdma"])
add("cannabis", "mdma", "low-risk-synergy",
    "Cannabis can make MDMA feel stronger, and some people feel anxious or sick with the mix.",
    "Use a little cannabis, later in the night, and take breaks.",
    ["nida-cannabis", "nida-mdma"])
for other in ["ketamine", "psychedelics", "dxm", "cannabis"]:
    unknown("modafinil", other)

# ---- 15. Psychedelics, dissociatives and cannabis with each other ------------
add("ketamine", "cannabis", "low-risk-synergy",
    "Cannabis can make ketamine's dissociation stronger and more confusing.",
    "Use less of each and sit or lie down in a safe place.",
    ["nida-psychedelics", "nida-cannabis"])
add("ketamine", "psychedelics", "caution",
    "Ketamine with LSD or psilocybin makes a much stronger and less predictable experience, "
    "with more confusion and trouble moving.",
    "Use small amounts, stay in a safe place and have a sober person with you.",
    ["nida-psychedelics"])
add("ketamine", "dxm", "unsafe",
    "DXM and ketamine both cause dissociation, and together they cause strong confusion, "
    "throwing up and a rise in blood pressure.",
    "Avoid this mix. If you do it, use small amounts, lie on your side and have a sober person "
    "with you.",
    ["nida-psychedelics", "medlineplus-dxm"])
add("cannabis", "psychedelics", "caution",
    "Cannabis can make a trip much stronger and more intense, sometimes leading to panic or "
    "confusion.",
    "Wait until the trip is settled before using cannabis, and use only a little.",
    ["nida-cannabis", "nida-psychedelics"])
add("cannabis", "dxm", "caution",
    "Cannabis adds to DXM's confusion and nausea, and can make anxiety or paranoia worse.",
    "Use small amounts of each and stay in a safe place with someone you trust.",
    ["nida-cannabis", "medlineplus-dxm"])
add("psychedelics", "dxm", "caution",
    "DXM with LSD or psilocybin is strongly confusing, and both act on serotonin.",
    "Use small amounts, and get help for fever, shaking or stiff muscles.",
    ["nida-psychedelics", "medlineplus-dxm", "medlineplus-serotonin"])

# ---- 16. Medications ----------------------------------------------------------
# MAOIs
add("maois", "mdma", "dangerous",
    "MDMA with an MAOI can cause severe serotonin syndrome and a dangerous rise in body heat and "
    "blood pressure. Deaths have been reported.",
    "Don't take MDMA while on an MAOI or within two weeks of stopping one. Call 911 for fever, "
    "stiff muscles, confusion or a severe headache.",
    ["boyer-2005", "gillman-2005", "medlineplus-serotonin"])
add("maois", "cocaine", "dangerous",
    "MAOIs stop the body breaking down chemicals that cocaine releases, which can cause a sudden, "
    "dangerous rise in blood pressure, stroke or heart problems.",
    "Don't use cocaine while on an MAOI or within two weeks of stopping one. Call 911 for a "
    "sudden severe headache, chest pain or confusion.",
    ["nimh-medications", "boyer-2005"])
add("maois", "methamphetamine", "dangerous",
    "MAOIs with meth can cause a sudden, dangerous rise in blood pressure and body heat, and "
    "serotonin syndrome.",
    "Don't use meth while on an MAOI or within two weeks of stopping one. Call 911 for a severe "
    "headache, chest pain, fever or confusion.",
    ["medlineplus-amphetamine", "nimh-medications"])
add("maois", "adhd-stimulants", "dangerous",
    "Stimulant labels say not to take them with an MAOI or within 14 days of stopping one, "
    "because the mix can cause a dangerous rise in blood pressure.",
    "Make sure every prescriber knows you take an MAOI. Call 911 for a sudden severe headache or "
    "chest pain.",
    ["medlineplus-amphetamine", "nimh-medications"])
add("maois", "modafinil", "caution",
    "Modafinil's label advises care when combining it with MAOIs, because both affect the "
    "brain's alerting chemicals and blood pressure can rise.",
    "Only combine them if your prescriber knows about both. Check your blood pressure if you "
    "can.",
    ["medlineplus-modafinil", "nimh-medications"])
add("maois", "dxm", "dangerous",
    "DXM with an MAOI can cause severe serotonin syndrome; cough medicine labels warn against it "
    "for this reason.",
    "Don't take any DXM product while on an MAOI or within two weeks of stopping one. Call 911 "
    "for fever, stiff muscles, shaking or confusion.",
    ["medlineplus-dxm", "gillman-2005", "boyer-2005"])
add("maois", "ssris-snris", "dangerous",
    "An SSRI or SNRI with an MAOI is the classic cause of severe, sometimes deadly serotonin "
    "syndrome. Doctors leave a gap of at least two weeks (five weeks for fluoxetine) when "
    "switching.",
    "Never take them together. When switching, follow the waiting time your prescriber gives "
    "you, and call 911 for fever, stiff muscles or confusion.",
    ["boyer-2005", "gillman-2005", "medlineplus-serotonin", "nimh-medications"])
add("maois", "alcohol", "unsafe",
    "Some drinks, such as tap beer and some wines, contain tyramine, which with an MAOI can cause "
    "a dangerous rise in blood pressure. Alcohol also adds drowsiness.",
    "Ask your prescriber which drinks, if any, are OK. Call 911 for a sudden severe headache, "
    "chest pain or a pounding heart.",
    ["niaaa-medicines", "nimh-medications"])
add("maois", "benzodiazepines", "low-risk-no-synergy",
    "MAOIs and benzos are sometimes prescribed together. The main effect is more drowsiness.",
    "Take both as prescribed and avoid adding alcohol.",
    ["nimh-medications", "fda-benzo-boxed-2020"])
add("maois", "lithium", "caution",
    "Lithium can add to serotonin effects, and it is sometimes used with an MAOI under close "
    "care. Serotonin syndrome is possible.",
    "Take both only as prescribed. Get help for fever, shaking or confusion.",
    ["medlineplus-lithium", "nimh-medications"])
add("maois", "antipsychotics", "caution",
    "Both can lower blood pressure, so dizziness and fainting are more likely, and some "
    "antipsychotics add to serotonin effects.",
    "Take both only as prescribed and stand up slowly.",
    ["nimh-medications"])
for other in ["ghb", "gabapentinoids", "ketamine", "cannabis"]:
    unknown("maois", other)
unknown("maois", "psychedelics",
        extra_advice="MAOIs may make psilocybin much stronger and longer; never combine an MAOI "
                     "with other serotonin drugs.")

# SSRIs / SNRIs
add("ssris-snris", "mdma", "unsafe",
    "SSRIs and SNRIs block much of MDMA's effect, so people often take more, which raises the "
    "risk of serotonin syndrome and overheating. Fluoxetine and paroxetine can also make MDMA "
    "build up.",
    "Don't redose MDMA to push through. Don't stop your antidepressant suddenly to make room for "
    "MDMA, and get help for fever, stiff muscles or confusion.",
    ["boyer-2005", "medlineplus-serotonin", "nida-mdma"])
add("ssris-snris", "dxm", "unsafe",
    "DXM raises serotonin, and with an SSRI or SNRI the risk of serotonin syndrome rises, "
    "especially at high DXM doses. Fluoxetine and paroxetine also make DXM build up.",
    "Avoid high DXM doses on antidepressants. Get help for fever, shaking, twitching or "
    "confusion.",
    ["medlineplus-dxm", "medlineplus-serotonin", "boyer-2005"])
add("ssris-snris", "alcohol", "caution",
    "Alcohol adds drowsiness and can make depression and anxiety worse, which works against "
    "your antidepressant.",
    "Keep drinking light, and don't stop your antidepressant to drink.",
    ["niaaa-medicines", "nimh-medications"])
add("ssris-snris", "cocaine", "caution",
    "Cocaine also raises serotonin, so serotonin syndrome is possible, and cocaine can make "
    "seizures more likely.",
    "Use small amounts and don't redose. Get help for fever, shaking or a seizure.",
    ["nida-cocaine", "medlineplus-serotonin"])
add("ssris-snris", "methamphetamine", "caution",
    "Meth raises serotonin a little and body heat a lot, so serotonin syndrome and overheating "
    "are possible.",
    "Use small amounts, stay cool, and get help for fever, stiff muscles or confusion.",
    ["nida-meth", "medlineplus-serotonin"])
add("ssris-snris", "psychedelics", "low-risk-decrease",
    "SSRIs and SNRIs usually weaken the effects of LSD and psilocybin.",
    "Don't stop your antidepressant suddenly to get a stronger trip; stopping can cause "
    "withdrawal and low mood.",
    ["nida-psychedelics", "nimh-medications"])
add("ssris-snris", "lithium", "caution",
    "Lithium adds to serotonin effects, and serotonin syndrome has been reported with this "
    "mix. It is often prescribed this way under care.",
    "Take both as prescribed. Get help for shaking, fever, confusion or diarrhea that won't "
    "stop.",
    ["medlineplus-lithium", "medlineplus-serotonin"])
for other, text in [
        ("benzodiazepines", "Antidepressants and benzos are often prescribed together. The main "
                            "effect is more drowsiness."),
        ("gabapentinoids", "Antidepressants and gabapentin or pregabalin are often prescribed "
                           "together. The main effect is more drowsiness and dizziness."),
        ("ketamine", "Esketamine, a form of ketamine, is approved to be used along with an oral "
                     "antidepressant for depression. No strong interaction is known."),
        ("cannabis", "No strong interaction is known; cannabis may add drowsiness or anxiety."),
        ("antipsychotics", "These are often prescribed together. Citalopram and some "
                           "antipsychotics can both affect heart rhythm, which prescribers check."),
        ("adhd-stimulants", "These are often prescribed together. Serotonin syndrome is rare."),
        ("modafinil", "No strong interaction is known, and they are sometimes prescribed "
                      "together.")]:
    srcs = ["nimh-medications"]
    if other == "ketamine":
        srcs.append("nida-psychedelic-medicines")
    else:
        srcs.append(HOME[other])
    add("ssris-snris", other, "low-risk-no-synergy", text,
        "Take both as prescribed and tell each prescriber about the other.", srcs)
unknown("ssris-snris", "ghb")

# Antipsychotics
add("antipsychotics", "alcohol", "caution",
    "Alcohol adds to the drowsiness and dizziness many antipsychotics cause, and can make "
    "symptoms harder to manage.",
    "Keep drinking light and don't stop your medicine to drink. Don't drive if drowsy.",
    ["niaaa-medicines", "nimh-medications"])
add("antipsychotics", "benzodiazepines", "caution",
    "Both cause drowsiness, and together they can slow breathing, especially with injected "
    "olanzapine or high doses.",
    "Take both only as prescribed and avoid alcohol or opioids on top.",
    ["nimh-medications", "fda-benzo-boxed-2020"])
add("antipsychotics", "ghb", "unsafe",
    "Antipsychotics add to GHB's sedation, and GHB can cause sudden deep unconsciousness.",
    "Avoid this mix. If you use G, use a much smaller, measured dose and don't use alone.",
    ["dea-ghb", "nimh-medications"])
add("antipsychotics", "gabapentinoids", "caution",
    "Both cause drowsiness and dizziness, and together falls and oversedation are more likely.",
    "Take both as prescribed and stand up slowly.",
    ["fda-gabapentinoids-2019", "nimh-medications"])
for st in ["cocaine", "methamphetamine", "adhd-stimulants"]:
    add("antipsychotics", st, "caution",
        "Antipsychotics block some of the effect of %s, which can lead to using more. Both can "
        "make it harder for the body to cool down." % SHORT[st],
        "Don't take more to feel it. Stay cool and drink water, and keep taking your medicine "
        "as prescribed.",
        ["nimh-medications", HOME[st]])
add("antipsychotics", "mdma", "caution",
    "Antipsychotics can dull MDMA and make it harder for the body to cool down, so overheating "
    "is more likely.",
    "Use a small MDMA dose, don't redose, and take breaks to cool down.",
    ["nimh-medications", "nida-mdma"])
add("antipsychotics", "psychedelics", "low-risk-decrease",
    "Many antipsychotics block the effects of LSD and psilocybin.",
    "Don't stop your antipsychotic to trip; stopping suddenly can bring back symptoms.",
    ["nimh-medications", "nida-psychedelics"])
add("antipsychotics", "cannabis", "caution",
    "Cannabis adds drowsiness, and high-THC cannabis can make psychosis worse, which works "
    "against your medicine.",
    "If you use cannabis, use low-THC products and less often, and tell your prescriber.",
    ["nida-cannabis", "nimh-medications"])
add("antipsychotics", "lithium", "caution",
    "Lithium and antipsychotics are often prescribed together, but rarely the mix causes "
    "confusion, shaking or stiffness.",
    "Take both as prescribed and keep up with lithium blood tests. Get help for confusion, "
    "shaking or a fever.",
    ["medlineplus-lithium", "nimh-medications"])
for other in ["modafinil", "ketamine", "dxm"]:
    unknown("antipsychotics", other)

# Lithium
add("lithium", "psychedelics", "dangerous",
    "In a study of reports from people who took LSD or psilocybin while on lithium, about half "
    "described seizures, and many needed medical care.",
    "Don't take LSD or psilocybin while on lithium. Don't stop lithium on your own to trip; talk "
    "to your prescriber.",
    ["nayak-2021", "medlineplus-lithium"])
add("lithium", "mdma", "caution",
    "MDMA makes you sweat and can change your body's salt and water balance, which can push "
    "lithium to a toxic level. Both also affect serotonin.",
    "Avoid MDMA on lithium if you can. If you do it, use a small dose, sip water without "
    "overdrinking, and get help for shaking, confusion or throwing up.",
    ["medlineplus-lithium", "nida-mdma"])
add("lithium", "alcohol", "caution",
    "Alcohol adds drowsiness and can dry you out, which can raise lithium levels. It can also "
    "make mood swings worse.",
    "Keep drinking light, drink water, and keep up with lithium blood tests.",
    ["medlineplus-lithium", "niaaa-medicines"])
add("lithium", "benzodiazepines", "low-risk-no-synergy",
    "Lithium and benzos are often prescribed together. The main effect is more drowsiness.",
    "Take both as prescribed and avoid alcohol on top.",
    ["medlineplus-lithium", "fda-benzo-boxed-2020"])
add("lithium", "gabapentinoids", "low-risk-no-synergy",
    "Lithium and gabapentin or pregabalin are sometimes prescribed together. The main effect is "
    "more drowsiness and dizziness.",
    "Take both as prescribed.",
    ["medlineplus-lithium", "fda-gabapentinoids-2019"])
for other in ["modafinil", "ghb", "cocaine", "methamphetamine", "ketamine", "cannabis", "dxm",
              "adhd-stimulants"]:
    unknown("lithium", other)

# --------------------------------------------------------------------------
# Checks and output.
# --------------------------------------------------------------------------


def main():
    missing = []
    for i, a in enumerate(SLUGS):
        for b in SLUGS[i + 1:]:
            if (a, b) not in CELLS:
                missing.append("%s + %s" % (a, b))
    if missing:
        raise SystemExit("%d pairs have no cell:\n  %s" % (len(missing), "\n  ".join(missing)))
    for c in CELLS.values():
        if c["level"] not in ("low-risk-synergy", "low-risk-no-synergy", "low-risk-decrease") \
                and not c["sources"]:
            raise SystemExit("no source: %s + %s" % (c["a"], c["b"]))
    pairs = sorted(CELLS.values(), key=lambda c: (IDX[c["a"]], IDX[c["b"]]))
    used = sorted({s for c in pairs for s in c["sources"]})
    unused = sorted(set(SOURCES) - set(used))
    if unused:
        raise SystemExit("sources never cited: %s" % ", ".join(unused))
    doc = {
        "reviewed": REVIEWED,
        "levels": [{"id": i, "name": n, "rank": r + 1, "definition": d}
                   for r, (i, n, d) in enumerate(LEVELS)],
        "sources": {k: {"title": SOURCES[k][0], "url": SOURCES[k][1]} for k in SOURCES},
        "substances": [{"slug": s, "name": n, "group": g, "aliases": al}
                       for s, n, g, al in SUBSTANCES],
        "pairs": pairs,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    counts = {}
    for c in pairs:
        counts[c["level"]] = counts.get(c["level"], 0) + 1
    print("wrote %s: %d substances, %d pairs, %d sources" %
          (os.path.relpath(OUT, ROOT), len(SUBSTANCES), len(pairs), len(SOURCES)))
    for lv in LEVEL_IDS:
        print("  %-20s %d" % (lv, counts.get(lv, 0)))


if __name__ == "__main__":
    main()
