"""Generate the invented sample use-of-force policies used to exercise policycheck.

Every agency, code section and sentence below is invented and was written for this
project; the only real names cited are the U.S. Constitution, its Fourth Amendment and
Graham v. Connor. Each policy is written as ``NAME.docx`` with python-docx and then converted to
``NAME.pdf`` with LibreOffice running headless. The verdict each sample must receive is
recorded by hand in ``expected.yaml`` beside this script.

The output is made stable so that re-running the script leaves the committed files
unchanged: DOCX core properties use a fixed date, the DOCX zip entries carry a fixed
timestamp, and the date, document ID and checksum that LibreOffice stamps into each PDF
are replaced with fixed values of the same length.

Usage::

    /work/venv/bin/python sample_policies/make_samples.py [--docx-only] [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import docx
from docx.document import Document

LOG = logging.getLogger("make_samples")

HERE = Path(__file__).resolve().parent
FIXED_DATE = datetime.datetime(2024, 1, 15, 9, 0, 0)
ZIP_DATE = (2024, 1, 15, 9, 0, 0)
PDF_DATE_DIGITS = b"20240115090000"
SOFFICE_TIMEOUT_S = 300

# Block kinds: ("title", text), ("h1", text), ("h2", text), ("p", text),
# ("bullets", [items]), ("numbers", [items]), ("table", [header_row, row, ...]).

TOTAL_BAN = {
    "name": "total_ban",
    "agency": "Harrow Creek Police Department",
    "subject": "General Order 4.10 Use of Force",
    "blocks": (
        ("h1", "4.10.1 Purpose"),
        (
            "p",
            "This general order sets out how members of the Harrow Creek Police Department "
            "may use force, which techniques are not allowed, and how each use of force is "
            "to be reported and reviewed.",
        ),
        ("h1", "4.10.2 Policy"),
        (
            "p",
            "The Department values every human life and expects officers to resolve "
            "encounters with the least amount of force that will safely achieve a "
            "legitimate goal. Officers shall use force only when it is objectively "
            "reasonable in light of the facts known to them at the time.",
        ),
        (
            "p",
            "Every member of the Department shall perform their duties in accordance with "
            "all applicable federal, state, and local laws, including the Fourth Amendment "
            "to the United States Constitution.",
        ),
        ("h1", "4.10.3 Definitions"),
        (
            "p",
            "Chokehold: any hold or contact with the neck that applies pressure to the "
            "throat or windpipe and may restrict a person's ability to breathe.",
        ),
        (
            "p",
            "Objectively reasonable force: the force that a reasonable officer on the scene "
            "would use, given the same facts and circumstances, without the benefit of "
            "hindsight.",
        ),
        (
            "p",
            "De-escalation: actions taken to slow down an encounter and reduce the need for "
            "force, such as creating distance, using cover, and communicating calmly.",
        ),
        ("h1", "4.10.4 Use of Force"),
        ("h2", "4.10.4.1 De-escalation"),
        (
            "p",
            "When it is safe to do so, officers shall attempt to de-escalate a situation "
            "before using force and shall keep reassessing as the situation changes.",
        ),
        ("h2", "4.10.4.2 Restraint Techniques"),
        (
            "p",
            "Officers shall not use a chokehold on any person under any circumstances. This "
            "prohibition applies on duty and off duty, whatever resistance the subject "
            "offers.",
        ),
        (
            "p",
            "Officers may use department-approved control holds, handcuffing techniques, and "
            "leg restraints as trained. Once a subject is restrained, officers shall place "
            "the subject in a position that does not restrict breathing and shall monitor "
            "the subject until custody is transferred.",
        ),
        ("h1", "4.10.5 Duty to Intervene"),
        (
            "p",
            "An officer who sees another officer using force that is clearly beyond what is "
            "objectively reasonable shall intervene when in a position to do so and shall "
            "report the incident to a supervisor as soon as practical.",
        ),
        ("h1", "4.10.6 Reporting"),
        (
            "p",
            "Any officer who uses force beyond compliant handcuffing shall complete a "
            "use-of-force report before the end of the shift. A supervisor shall review each "
            "report and forward it to the Professional Standards Unit.",
        ),
    ),
}

DEADLY_FORCE_EXCEPTION = {
    "name": "deadly_force_exception",
    "agency": "Marlow County Sheriff's Office",
    "subject": "Policy 300 Use of Force",
    "blocks": (
        ("h1", "300.1 Purpose and Scope"),
        (
            "p",
            "This policy gives deputies of the Marlow County Sheriff's Office direction on the "
            "reasonable use of force, including limits on restraints applied to the neck.",
        ),
        ("h1", "300.2 Policy"),
        (
            "p",
            "Deputies are entrusted with the authority to use force to protect the public and "
            "themselves. That authority carries a duty to use it with restraint and only to "
            "the extent that is reasonable.",
        ),
        (
            "p",
            "Deputies shall use force only in a manner consistent with the United States "
            "Constitution and with Section 45-5-101 of the State Code, which governs the use "
            "of force by peace officers.",
        ),
        ("h1", "300.3 Definitions"),
        (
            "p",
            "Bar-arm hold: a hold in which the forearm is placed across the front of the neck "
            "and pulled back against the throat.",
        ),
        (
            "p",
            "Carotid restraint: a hold in which pressure is applied to the sides of the neck "
            "to reduce the flow of blood to the brain.",
        ),
        (
            "p",
            "Deadly force: force that creates a substantial risk of causing death or serious "
            "bodily injury.",
        ),
        ("h1", "300.4 Use of Force"),
        ("h2", "300.4.1 Factors Used to Determine Reasonableness"),
        (
            "p",
            "In deciding what force is reasonable, deputies shall weigh the seriousness of the "
            "offense, whether the subject poses an immediate threat, whether the subject is "
            "actively resisting or trying to flee, and what other options are available.",
        ),
        ("h2", "300.4.2 Neck Restraints and Chokeholds"),
        (
            "p",
            "The following restraints are prohibited unless the use of deadly force is justified:",
        ),
        (
            "bullets",
            (
                "the bar-arm hold or any other chokehold applied to the front of the throat;",
                "the carotid restraint or any other hold that compresses the sides of the "
                "neck; and",
                "any hold or technique that restricts a person's breathing or the flow of blood "
                "to the brain.",
            ),
        ),
        (
            "p",
            "A deputy who applies any of these restraints shall request medical aid for the "
            "subject immediately and shall notify a supervisor.",
        ),
        ("h2", "300.4.3 Positional Asphyxia"),
        (
            "p",
            "Deputies shall not leave a restrained person lying face down and shall move the "
            "person onto their side or into a seated position as soon as it is safe to do "
            "so.",
        ),
        ("h1", "300.5 Reporting and Review"),
        (
            "p",
            "Every use of force shall be documented in an incident report. The shift sergeant "
            "shall review the report, and the Office's use-of-force review board shall "
            "examine any incident that resulted in injury.",
        ),
    ),
}

CAROTID_PERMITTED = {
    "name": "carotid_permitted",
    "agency": "Elmstead Police Department",
    "subject": "Directive 22 Response to Resistance",
    "blocks": (
        ("h1", "I. PURPOSE"),
        (
            "p",
            "This directive tells officers of the Elmstead Police Department how to respond to "
            "resistance and which control techniques they are trained and allowed to use.",
        ),
        ("h1", "II. POLICY"),
        (
            "p",
            "Officers shall use only the force that is objectively reasonable under the "
            "Fourth Amendment, as the Supreme Court explained in Graham v. Connor, 490 U.S. "
            "386 (1989).",
        ),
        (
            "p",
            "Reasonableness is judged from the viewpoint of a reasonable officer on the scene, "
            "considering the facts the officer knew at that moment.",
        ),
        ("h1", "III. DEFINITIONS"),
        (
            "p",
            "Carotid restraint: a technique in which the officer's arm compresses the sides of "
            "the subject's neck to slow the flow of blood to the brain and cause a brief loss "
            "of consciousness.",
        ),
        (
            "p",
            "Violently resisting subject: a person who is using, or is clearly about to use, "
            "physical force against an officer or another person.",
        ),
        ("h1", "IV. PROCEDURES"),
        ("h2", "A. Control Techniques"),
        (
            "p",
            "Officers may use verbal direction, escort holds, pressure point techniques, "
            "takedowns, and handcuffing as taught in department training.",
        ),
        ("h2", "B. Carotid Restraint"),
        (
            "p",
            "An officer may apply the carotid restraint when the officer reasonably believes "
            "it is necessary to control a violently resisting subject.",
        ),
        (
            "p",
            "Only officers who have completed the department's carotid restraint course within "
            "the last two years may apply the technique. Once the subject is under control, "
            "the officer shall release the hold, place the subject in a recovery position, "
            "and request a medical evaluation.",
        ),
        ("h2", "C. Reporting"),
        (
            "p",
            "Any application of the carotid restraint, and any other use of force that causes "
            "injury or a complaint of pain, shall be reported to the on-duty supervisor before "
            "the end of the shift.",
        ),
    ),
}

WIDE_EXCEPTION = {
    "name": "wide_exception",
    "agency": "Port Wrenfield Police Department",
    "subject": "Policy 1.3 Use of Force",
    "blocks": (
        ("h1", "A. Purpose"),
        (
            "p",
            "This policy establishes guidelines for the use of force by sworn members of the "
            "Port Wrenfield Police Department.",
        ),
        ("h1", "B. Policy"),
        (
            "p",
            "Officers shall act in accordance with state law, including the peace officer "
            "use-of-force provisions found in Title 12 of the Revised Statutes.",
        ),
        (
            "p",
            "Officers are expected to use sound judgment and to use only the force that is "
            "reasonably necessary to carry out their duties.",
        ),
        ("h1", "C. Procedures"),
        ("h2", "1. Levels of Control"),
        (
            "p",
            "Officers may use presence, verbal commands, soft empty-hand control, hard "
            "empty-hand control, intermediate weapons, and deadly force, selecting the option "
            "that fits the subject's behavior.",
        ),
        ("h2", "2. Chokeholds"),
        (
            "p",
            "Chokeholds are prohibited unless the subject is actively resisting arrest or a "
            "supervisor approves their use.",
        ),
        (
            "p",
            "When a chokehold is applied, the officer shall release it as soon as the subject "
            "stops resisting and shall check the subject for signs of injury.",
        ),
        ("h2", "3. Medical Aid"),
        (
            "p",
            "Officers shall provide or summon medical aid for any person who is injured, "
            "complains of injury, or appears to be in distress after force is used.",
        ),
        ("h1", "D. Reporting"),
        (
            "p",
            "Officers shall report every use of force above soft empty-hand control to a "
            "supervisor, who shall complete a use-of-force review within five working days.",
        ),
    ),
}

HEDGED = {
    "name": "hedged",
    "agency": "Cinder Valley Police Department",
    "subject": "Chapter 7 Use of Force",
    "blocks": (
        ("h1", "7.1 Purpose"),
        (
            "p",
            "This chapter describes what the department expects of its officers when they use "
            "force.",
        ),
        ("h1", "7.2 Policy"),
        (
            "p",
            "All use of force by members of the Cinder Valley Police Department shall conform "
            "to the United States Constitution and to state law.",
        ),
        (
            "p",
            "Officers are expected to use the minimum amount of force needed to bring an "
            "incident under control.",
        ),
        ("h1", "7.3 Definitions"),
        (
            "p",
            "Neck restraint: any hold that applies pressure to the neck, whether to the front "
            "of the throat or to the sides of the neck.",
        ),
        ("p", "Chokehold: a neck restraint that applies pressure to the windpipe."),
        (
            "p",
            "Intermediate weapon: a baton, conducted energy weapon, or chemical agent issued "
            "by the department.",
        ),
        ("h1", "7.4 Use of Force Guidelines"),
        ("h2", "7.4.1 De-escalation"),
        (
            "p",
            "Before using force, officers should take the following steps when time and "
            "safety allow:",
        ),
        (
            "numbers",
            (
                "Identify themselves as police officers and give clear commands.",
                "Create distance and use available cover.",
                "Call for additional officers or a crisis intervention team.",
                "Give the subject a reasonable opportunity to comply.",
            ),
        ),
        ("h2", "7.4.2 Neck Restraints"),
        (
            "p",
            "Officers should avoid using chokeholds. Neck restraints are discouraged and should "
            "normally not be used.",
        ),
        (
            "p",
            "An officer who uses any neck restraint shall describe the circumstances in detail "
            "in the use-of-force report.",
        ),
        ("h2", "7.4.3 Warning Shots"),
        ("p", "Warning shots are prohibited."),
        ("h1", "7.5 Reporting"),
        (
            "p",
            "Officers shall complete a use-of-force report for any incident in which force was "
            "used, and a supervisor shall review the report within 72 hours.",
        ),
    ),
}

SILENT = {
    "name": "silent",
    "agency": "Ashbury Township Police Department",
    "subject": "Directive 210 Intermediate Weapons and Force Reporting",
    "blocks": (
        ("h1", "210.01 Purpose"),
        (
            "p",
            "This directive covers the carrying and use of batons and oleoresin capsicum (OC) "
            "spray, and the reporting of every use of force by members of the Ashbury "
            "Township Police Department.",
        ),
        ("h1", "210.02 Policy"),
        (
            "p",
            "Members shall use an intermediate weapon only when lesser options have failed or "
            "would clearly be ineffective, and only to the extent needed to gain control of a "
            "subject. Members are expected to treat every person with dignity and respect.",
        ),
        ("h1", "210.03 Force Options"),
        (
            "p",
            "The table below summarizes the intermediate options available to members and "
            "when each may be used.",
        ),
        (
            "table",
            (
                ("Option", "When it may be used", "Aftercare"),
                ("Verbal commands", "At any time", "None required"),
                (
                    "OC spray",
                    "Active resistance or a threatened assault",
                    "Flush eyes with cool water; observe for 30 minutes",
                ),
                (
                    "Expandable baton",
                    "Assaultive behavior that OC spray has not stopped or cannot stop",
                    "Check for injury; photograph any marks",
                ),
            ),
        ),
        ("h1", "210.04 Batons"),
        (
            "p",
            "Only the department-issued expandable baton may be carried. Members shall "
            "complete baton training before carrying the baton and shall requalify every "
            "year.",
        ),
        (
            "p",
            "Baton strikes should be aimed at the large muscle groups of the arms and legs. "
            "Members shall not strike a person's head, spine, or groin with a baton unless "
            "the person is about to cause death or serious injury to someone.",
        ),
        ("h1", "210.05 OC Spray"),
        (
            "p",
            "Members shall give a verbal warning before using OC spray when it is safe to do "
            "so. OC spray shall be aimed at the face from at least three feet away, in short "
            "bursts of no more than one second.",
        ),
        (
            "p",
            "After OC spray is used, members shall help the person flush the affected area "
            "with cool water and shall watch the person for any sign of distress.",
        ),
        ("h1", "210.06 Reporting"),
        (
            "p",
            "A member who uses a baton, OC spray, or any physical force beyond routine "
            "handcuffing shall notify a supervisor at once and shall submit a written force "
            "report before going off duty.",
        ),
        (
            "p",
            "The supervisor shall review the report, interview the member and any witnesses, "
            "and forward the completed review to the Chief of Police within ten days.",
        ),
    ),
}

LEGAL_PARTIAL = {
    "name": "legal_partial",
    "agency": "Kestrel Bay Police Department",
    "subject": "Policy Manual Section 8 Use of Force",
    "blocks": (
        ("h1", "I. PURPOSE"),
        (
            "p",
            "This section guides Kestrel Bay police officers in deciding when force may be "
            "used and how much force is reasonable.",
        ),
        ("h1", "II. POLICY"),
        (
            "p",
            "Force shall be used only when it is objectively reasonable under the Fourth "
            "Amendment and the standard set out by the Supreme Court in Graham v. Connor.",
        ),
        (
            "p",
            "Officers shall consider the severity of the crime, the immediate threat to "
            "officers and others, and whether the subject is resisting or attempting to "
            "flee.",
        ),
        ("h1", "III. PROHIBITED TECHNIQUES"),
        (
            "p",
            "Officers are prohibited from using a chokehold or any other neck restraint except "
            "in situations where the use of deadly force is authorized.",
        ),
        (
            "p",
            "Officers shall not kneel or sit on the chest or back of a handcuffed person, and "
            "shall not strike a handcuffed person who is not resisting.",
        ),
        ("h1", "IV. DEADLY FORCE"),
        (
            "p",
            "Deadly force is authorized only when an officer reasonably believes it is "
            "necessary to protect the officer or another person from an imminent threat of "
            "death or serious bodily injury.",
        ),
        ("h1", "V. MEDICAL ATTENTION AND REPORTING"),
        (
            "p",
            "After any use of force, officers shall check the subject for injuries, obtain "
            "medical care when needed, and complete a use-of-force report before going off "
            "duty.",
        ),
    ),
}

LEGAL_ABSENT = {
    "name": "legal_absent",
    "agency": "Brenwick Police Department",
    "subject": "Standard Operating Procedure 6 Use of Force",
    "blocks": (
        ("h1", "1.0 Purpose"),
        (
            "p",
            "This procedure explains how Brenwick officers are to use force, which holds are "
            "not allowed, and what must happen after force is used.",
        ),
        ("h1", "2.0 Policy"),
        (
            "p",
            "Officers shall treat all people with respect and shall use no more force than the "
            "situation reasonably requires. Force is never to be used as punishment or in "
            "retaliation.",
        ),
        ("h1", "3.0 Definitions"),
        (
            "p",
            "Chokehold: a hold that puts pressure on the throat or windpipe and makes it hard "
            "or impossible for a person to breathe.",
        ),
        (
            "p",
            "Stranglehold: a hold in which an arm, the hands, or any object is wrapped around "
            "the neck and tightened.",
        ),
        ("h1", "4.0 Procedures"),
        ("h2", "4.1 Prohibited Holds"),
        ("p", "The following holds are prohibited at all times:"),
        (
            "bullets",
            (
                "chokeholds;",
                "strangleholds; and",
                "any other hold that applies pressure to the throat or windpipe.",
            ),
        ),
        ("p", "No officer shall use a chokehold or stranglehold on any person, for any reason."),
        ("h2", "4.2 Handcuffing and Transport"),
        (
            "p",
            "Handcuffed persons shall be seated upright or placed on their side and shall be "
            "watched closely during transport.",
        ),
        ("h1", "5.0 Reporting"),
        (
            "p",
            "Officers shall report every use of force to a supervisor before the end of the "
            "shift. The supervisor shall review the report and send it to the Chief of "
            "Police.",
        ),
    ),
}

AIRWAY_BAN_CAROTID_ALLOWED = {
    "name": "airway_ban_carotid_allowed",
    "agency": "Juniper Ridge Police Department",
    "subject": "General Order 5-3 Use of Force",
    "blocks": (
        ("h1", "SECTION 1. PURPOSE"),
        (
            "p",
            "This general order tells Juniper Ridge officers which control techniques they may "
            "use, when they may use them, and how they must report them.",
        ),
        ("h1", "SECTION 2. POLICY"),
        (
            "p",
            "Officers shall use force in compliance with all applicable federal, state, and "
            "local laws and with the training and directives of this department.",
        ),
        ("h1", "SECTION 3. DEFINITIONS"),
        (
            "p",
            "Chokehold: any hold that applies pressure to the front of the throat or windpipe "
            "and restricts a person's ability to breathe.",
        ),
        (
            "p",
            "Vascular neck restraint: a technique that compresses the sides of the neck to "
            "restrict the flow of blood to the brain without putting pressure on the "
            "airway.",
        ),
        (
            "p",
            "Combative subject: a person who is attacking, or is about to attack, an officer "
            "or another person.",
        ),
        ("h1", "SECTION 4. CONTROL TECHNIQUES"),
        ("h2", "4.1 Chokeholds"),
        ("p", "Officers shall not use a chokehold under any circumstances."),
        ("h2", "4.2 Vascular Neck Restraint"),
        (
            "p",
            "An officer who has completed department-approved training may apply the vascular "
            "neck restraint to control a combative subject.",
        ),
        (
            "p",
            "The officer shall release the restraint as soon as the subject stops resisting, "
            "make sure the subject is breathing normally, and arrange a medical evaluation.",
        ),
        ("h1", "SECTION 5. REPORTING"),
        (
            "p",
            "Every use of the vascular neck restraint shall be reported to a supervisor "
            "immediately and documented in a use-of-force report.",
        ),
    ),
}

TABLE_BAN = {
    "name": "table_ban",
    "agency": "Gilman Falls Police Department",
    "subject": "Rule 14 Use of Force",
    "blocks": (
        ("h1", "14.1 Purpose"),
        (
            "p",
            "This rule describes the force options available to Gilman Falls officers and the "
            "conditions that govern each one.",
        ),
        ("h1", "14.2 Policy"),
        (
            "p",
            "This rule is to be applied consistently with the United States Constitution and "
            "state law.",
        ),
        (
            "p",
            "Officers shall choose the least severe option that is likely to succeed and shall "
            "stop using force once the subject is under control.",
        ),
        ("h1", "14.3 Force Options"),
        (
            "p",
            "The table below lists each force option, whether it may be used, and the "
            "conditions that apply to it.",
        ),
        (
            "table",
            (
                ("Force option", "Status", "Conditions"),
                ("Escort and joint-lock holds", "Permitted", "Passive or active resistance"),
                (
                    "Conducted energy weapon",
                    "Permitted",
                    "Active aggression or an immediate threat of harm",
                ),
                (
                    "Chokehold or other neck restraint",
                    "Prohibited",
                    "Except where deadly force is authorized",
                ),
                ("Firearm", "Permitted", "Only where deadly force is authorized"),
            ),
        ),
        ("h1", "14.4 Reporting"),
        (
            "p",
            "Officers shall report any use of force listed in the table to a supervisor before "
            "the end of the shift, and the supervisor shall review each report within three "
            "days.",
        ),
    ),
}

NARROW_BAN = {
    "name": "narrow_ban",
    "agency": "Wexcombe Police Department",
    "subject": "Chapter 9 Use of Force",
    "blocks": (
        ("h1", "9-1 Purpose"),
        (
            "p",
            "This chapter governs the use of force by officers of the Wexcombe Police Department.",
        ),
        ("h1", "9-2 Policy"),
        (
            "p",
            "Officers shall follow the Fourth Amendment to the United States Constitution and "
            "Section 19-2-410 of the State Code when using force.",
        ),
        ("h1", "9-3 Control Techniques"),
        (
            "p",
            "Officers may use escort holds, takedowns, and handcuffing to gain control of a "
            "resisting subject, choosing the technique that best fits the situation.",
        ),
        ("h1", "9-4 Evidence in the Mouth"),
        (
            "p",
            "Officers shall not use a chokehold to prevent a subject from swallowing evidence. "
            "If a subject appears to have swallowed drugs or other items, the officer shall "
            "summon medical aid at once.",
        ),
        ("h1", "9-5 Reporting"),
        (
            "p",
            "Officers shall report each use of force to a supervisor, who shall review the "
            "report and forward it to the Chief of Police.",
        ),
    ),
}

POLICIES = (
    TOTAL_BAN,
    DEADLY_FORCE_EXCEPTION,
    CAROTID_PERMITTED,
    WIDE_EXCEPTION,
    HEDGED,
    SILENT,
    LEGAL_PARTIAL,
    LEGAL_ABSENT,
    AIRWAY_BAN_CAROTID_ALLOWED,
    TABLE_BAN,
    NARROW_BAN,
)

HEADING_STYLES = {"title": "Title", "h1": "Heading 1", "h2": "Heading 2", "p": "Normal"}
LIST_STYLES = {"bullets": "List Bullet", "numbers": "List Number"}


def policy_title(policy: dict) -> str:
    """Return the full title line, e.g. 'Harrow Creek Police Department — General Order ...'."""
    return f"{policy['agency']} \u2014 {policy['subject']}"


def add_table(document: Document, rows: tuple) -> None:
    """Add a grid table whose first row is a bold header row."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = document.styles["Table Grid"]
    for row_index, values in enumerate(rows):
        for cell, value in zip(table.rows[row_index].cells, values, strict=True):
            cell.text = value
            if row_index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def add_block(document: Document, block: tuple) -> None:
    """Append one content block (heading, paragraph, list or table) to the document."""
    kind, content = block
    if kind in HEADING_STYLES:
        document.add_paragraph(content, style=HEADING_STYLES[kind])
    elif kind in LIST_STYLES:
        for item in content:
            document.add_paragraph(item, style=LIST_STYLES[kind])
    elif kind == "table":
        add_table(document, content)
    else:
        raise ValueError(f"unknown block kind: {kind!r}")


def set_core_properties(document: Document, policy: dict) -> None:
    """Give the document fixed metadata so repeated runs produce identical files."""
    props = document.core_properties
    props.title = policy_title(policy)
    props.subject = policy["subject"]
    props.author = policy["agency"]
    props.last_modified_by = policy["agency"]
    props.keywords = "use of force; sample; fictional"
    props.comments = "Invented sample policy for policycheck tests."
    props.category = "sample policy"
    props.revision = 1
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.last_printed = FIXED_DATE


def build_document(policy: dict) -> Document:
    """Create the python-docx document for one policy."""
    document = docx.Document()
    set_core_properties(document, policy)
    add_block(document, ("title", policy_title(policy)))
    for block in policy["blocks"]:
        add_block(document, block)
    return document


def stable_zip(data: bytes) -> bytes:
    """Rewrite a zip archive with fixed entry timestamps, keeping entry order and content."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_docx(policy: dict, out_dir: Path) -> Path:
    """Build one policy and save it as NAME.docx in out_dir; return the path."""
    buffer = io.BytesIO()
    build_document(policy).save(buffer)
    path = out_dir / f"{policy['name']}.docx"
    path.write_bytes(stable_zip(buffer.getvalue()))
    LOG.info("wrote %s", path)
    return path


def find_soffice() -> str:
    """Return the LibreOffice executable, or raise if it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError(
        "LibreOffice not found; install it with: "
        "apt-get update && apt-get install -y libreoffice-writer-nogui"
    )


def convert_to_pdf(docx_paths: list[Path], out_dir: Path) -> None:
    """Convert DOCX files to PDF in one headless LibreOffice run with a throwaway profile."""
    with tempfile.TemporaryDirectory(prefix="make_samples_lo_") as profile:
        command = [
            find_soffice(),
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *[str(path) for path in docx_paths],
        ]
        LOG.info("running LibreOffice on %d files", len(docx_paths))
        env = dict(os.environ, TZ="UTC")
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=SOFFICE_TIMEOUT_S, env=env
        )
    LOG.debug("soffice stdout: %s", result.stdout.strip())
    if result.returncode != 0:
        raise RuntimeError(f"soffice failed ({result.returncode}): {result.stderr.strip()}")


def stable_pdf(data: bytes, name: str) -> bytes:
    """Replace the run-dependent date, ID and checksum in a PDF with fixed same-size values.

    Every replacement keeps the byte length, so the cross-reference offsets stay valid.
    """
    digest = (
        hashlib.md5(name.encode("ascii"), usedforsecurity=False).hexdigest().upper().encode("ascii")
    )
    data = re.sub(
        rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}", lambda m: m.group(1) + PDF_DATE_DIGITS, data
    )
    data = re.sub(
        rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]",
        lambda m: _same_size_hex(m.group(0), digest),
        data,
    )
    return re.sub(
        rb"/DocChecksum\s*/[0-9A-Fa-f]+", lambda m: _same_size_hex(m.group(0), digest), data
    )


def _same_size_hex(text: bytes, digest: bytes) -> bytes:
    """Overwrite each run of 16+ hex digits in text with the digest, keeping each run's size."""
    return re.sub(rb"[0-9A-Fa-f]{16,}", lambda m: (digest * 4)[: len(m.group(0))], text)


def write_pdfs(docx_paths: list[Path], out_dir: Path) -> None:
    """Convert each DOCX to PDF and normalise the PDFs so they are reproducible."""
    for docx_path in docx_paths:
        (out_dir / f"{docx_path.stem}.pdf").unlink(missing_ok=True)
    convert_to_pdf(docx_paths, out_dir)
    for docx_path in docx_paths:
        pdf_path = out_dir / f"{docx_path.stem}.pdf"
        if not pdf_path.exists():
            raise RuntimeError(f"LibreOffice did not produce {pdf_path}")
        pdf_path.write_bytes(stable_pdf(pdf_path.read_bytes(), docx_path.stem))
        LOG.info("wrote %s", pdf_path)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=HERE,
        help="folder to write the samples to (default: beside this script)",
    )
    parser.add_argument(
        "--docx-only",
        action="store_true",
        help="write the DOCX files only and skip the PDF conversion",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Write every sample policy as DOCX and, unless told otherwise, as PDF."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    args.out_dir.mkdir(parents=True, exist_ok=True)
    docx_paths = [write_docx(policy, args.out_dir) for policy in POLICIES]
    if not args.docx_only:
        write_pdfs(docx_paths, args.out_dir)
    LOG.info("done: %d policies in %s", len(POLICIES), args.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
