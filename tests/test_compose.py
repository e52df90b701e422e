"""Composed readings (knowledge/compose.py, knowledge/answers/composed.py), one conversation each: the
issue's kinds of question, answered from the documents, with what they do not cover named."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.index import KnowledgeIndex
from tests.test_dialogs import Dialog


def ask(ix: KnowledgeIndex, *turns: str) -> str:
    d = Dialog(ix)
    result = None
    for text in turns:
        result = d.send(text)
    assert result is not None
    return d.said(result)


@pytest.mark.parametrize(
    ("turns", "says", "never"),
    [
        # situation first, question last
        (("contract is signed and revenue is in MS Sales, what now?",), ["Close", "Deploy"], []),
        (("power agreed to explore, where does that leave us?",), ["Develop"], []),
        (("we're at 60%, what should be true by now?",), ["Proof", "Eval plan completed"], []),
        (("we now have qualified pipeline, who takes it from here?",), ["Inspire & Design", "STU"], []),
        (("campaigns are out the door and we've got prospects in siebel. what's next?",), ["Demand Generation"], []),
        (
            ("sponsor has admitted pain and has a buying vision, but hasn't agreed to explore yet. where are we?",),
            ["you are in Qualify", "Sponsor agrees to explore"],
            ["you are in Develop"],
        ),
        # progress reported with no question at all; a later clause asking for the next stage
        (
            (
                "eval plan complete, pre-proposal review done, we asked for the business, "
                "but the proposal isnt issued yet",
            ),
            ["Proof", "Proposal/ SOW issued"],
            ["Support stage"],
        ),
        (
            (
                "litware signed the customer agreement and it's committed pipeline now. "
                "next mcem stage, and which unit?",
            ),
            ["Realize Value", "CSU"],
            [],
        ),
        (
            ("customer is aligned to the solution and the business case - what stage are we in and what follows",),
            ["Empower & Achieve"],
            ["Deploy"],
        ),
        # a stage or role from what happens in it
        (("where do we set up the qualification v-team?",), ["Qualify"], []),
        (("when is the post-close follow-up?",), ["Deploy"], []),
        (("who drives the technical win?",), ["SE"], []),
        (("who updates Siebel?",), ["doesn't name a role", "Prospect"], ["CSA", "CSAM", "AE"]),
        (
            ("what stage has 'develop negotiating and give/get worksheets' as a key step",),
            ["In Close"],
            ["Develop stage"],
        ),
        (
            ("which checkpoints mention the partner?",),
            ["Develop", "Solution", "Proof", "Close", "Deploy", "Support"],
            [],
        ),
        # comparisons and lists
        (("AE versus CSAM",), ["ATU", "CSU", "quarterback", "Customer Success Plan"], []),
        (("Prospect vs Qualify",), ["0%", "10%", "Potential Sponsor identified"], []),
        (("EXPAND vs MODERNIZE roles",), ["Identify account expansion opportunities", "migration strategy"], []),
        (
            ("how does the AE's job differ between map, cmopete and expand",),
            ["In MAP, the AE: Lead relationship mapping", "win strategy", "account expansion"],
            [],
        ),
        (("what does the SE do in MAP vs COMPETE",), ["doesn't name the SE in MAP"], []),
        (("every checkpoint, stage by stage",), ["Campaigns executed", "Support plan reviewed with customer"], []),
        (("each role with its unit",), ["CSAM", "CSU", "ATS", "ATU"], []),
        # ordinals and positions
        (("the second MCEM stage and its owner",), ["Inspire & Design", "STU"], ["Listen & Consult is owned"]),
        (("two stages after Qualify",), ["Solution"], []),
        (("the last MSSP stage",), ["Support"], []),
        (("the stage at 60%",), ["Proof"], []),
        (("third checkpoint of Develop",), ["Power has buying vision"], []),
        (("third MCEM stage and its accountable unit",), ["Empower & Achieve", "STU"], ["CSU"]),
        (("the second accountable unit",), ["STU"], ["CSU is accountable"]),
        (("3rd role in the role definitions section",), ["ATS"], []),
        (("the seventh role",), ["number 5 roles", "no number 7"], []),
        (("first role-assignment stage",), ["MAP"], ["competitive intelligence"]),
        (("what's the 4th accountable unit, apart from ATU, STU and CSU?",), ["3 accountable units"], []),
        (("which mcem stage is first and what does the ATU need to exit it",), ["Qualified pipeline"], []),
        # a position among the stages a probability condition keeps
        (("which is the first stage above 50 percent",), ["Proof", "60%"], []),
        (("first mssp stage that actually has a probability number",), ["Prospect", "0%"], ["Demand Generation"]),
        (("the fifth stage above 50%",), ["3 of its stages", "Deploy (100%)"], []),
        # a step inside a named stage, and what it includes
        (("in Solution, what does executing the eval plan include?",), ["Build value proposition"], []),
        (
            ("all the sub-steps under execute eval plan",),
            ["Define preliminary solution", "Build value proposition"],
            [],
        ),
        (("first sub-step under execute eval plan in solution",), ["Define preliminary solution", "a sub-step"], []),
        # yes / no
        (("does the CSU own Listen & Consult?",), ["No", "ATU"], []),
        (("is Proof at 60%?",), ["Yes", "60%"], []),
        (("Qualify is 20% isn't it",), ["No", "10%"], []),
        # false premises and parts the documents do not cover
        (("who owns stage 7 of MCEM",), ["there is no stage 7"], []),
        (("probability of Inspire & Design",), ["doesn't give its stages a probability", "STU"], ["%"]),
        (
            ("which unit is the partner manager in",),
            ["doesn't name a \u201cpartner manager\u201d role"],
            ["ATU", "STU"],
        ),
        (("what does the SE do in Deploy",), ["doesn't name roles", "technical win"], []),
        (("how long does Qualify take",), ["don't say how long"], []),
        # two questions, one the documents answer and one they do not
        (("probability for deploy, and when can we recognise the revenue?",), ["100%", "when can we recognise"], []),
        (
            ("first checkpoint of proof, and what's the max length of a POC?",),
            ["Eval plan completed", "how long it takes"],
            [],
        ),
        (("how long does develop usually take, and what are its checkpoints",), ["Access to power", "how long"], []),
        # yes/no on who owns something: the "Owns ..." line decides; a No names the subject's own line
        (("does the AE own the technology strategy for the account?",), ["No,", "ATS"], ["Yes,"]),
        (("does the AE own the account strategy?",), ["Yes,", "overall account strategy"], ["No,"]),
        (
            ("do we update siebel in close?",),
            ["Close does have", "revenue in MS Sales and Siebel"],
            [],
        ),
        # follow-ups: the one stage a line was found in; an offset keeps the aspect; a filter over the list
        (
            ("which stage has verbal approval received as its outcome", "and its checkpoints"),
            ["Eval plan completed"],
            [],
        ),
        (("what % is qualify", "two stages later?"), ["probability at Solution is 40%"], []),
        (("who drives the technical win?", "which unit are they in?"), ["is in the STU"], []),
        (("develop checkpoints", "which of those mentions partners?"), ["1 checkpoint mentions", "MS services"], []),
        (("deploy key steps", "which of those mention pricing?"), ["None of Deploy's key steps mention"], []),
        (("qualify checkpoints",), ["Qualify has 4 checkpoints"], []),
        # a statement with a question mark is a claim; a unit's accountability is one too
        (("support stage probability is 100%?",), ["No, the probability at Support is NA"], []),
        (("is the CSU accountable for strategic planning?",), ["No,", "ATU"], []),
        (("is the ATU accountable for strategic planning & execution for accounts?",), ["Yes,"], []),
        # a stage's last key step confirms its outcome: done, what comes next; an aspect of the stage at a %
        (
            ("contract is signed and revenue is in MS Sales and Siebel. what now?",),
            ["next comes Deploy", "Transition deployment ownership"],
            [],
        ),
        (("deal is sitting at 80%, which key steps should i be doing?",), ["give/get worksheets"], []),
        # the question first, then chatter that names nothing the documents know
        (("every mcem stage with its exit criteria, need it for a slide",), ["Qualified pipeline", "Outcomes met"], []),
        (("third mcem stage - who owns it",), ["Empower & Achieve", "STU"], []),
        # a range of stages, side by side; a role across every role assignment named
        (("objectives of the first 3 mssp stages?",), ["Generate awareness", "Qualify lead"], ["Develop -"]),
        (("the last two mcem stages and their owners",), ["Realize Value is owned by the CSU"], []),
        (
            ("which of the role-assignment stages (map/compete/expand/modernize) is the ATS listed in",),
            ["MAP, COMPETE and MODERNIZE"],
            [],
        ),
        (("list the ATS key resps",), ["Map business value to technology capabilities"], []),
        # the second of two questions counted in, or referring to, the first one's document
        (
            ("what's stage 6 of mcem, and what's the exit criteria for stage 5?",),
            ["no stage 6", "Completed opportunity"],
            [],
        ),
        (
            ("what are the 5 mcem stages and what % does each carry in the forecast?",),
            ["Listen & Consult", "doesn't give its stages a probability"],
            [],
        ),
        # "both" after two answers about one stage each; the roles working together
        (
            ("who owns realize value", "and manage & optimise?", "what're the exit criteria for both"),
            ["Outcomes met", "Completed opportunity"],
            [],
        ),
        (("how do the roles work together?",), ["Define account and technology strategy"], []),
        # a comparison with words the documents never use names them; a false order names the real neighbour
        (
            ("prospect probability and the usual conversion rate from prospect to qualify",),
            ["don't say anything about \u201cconversion\u201d", "0%", "10%"],
            ["\u201cusual\u201d"],
        ),
        (("is solution the stage right after proof?",), ["No,", "The stage right after Proof is Close"], []),
        (("first role in the role definitions list, and its focus",), ["solution-specific sales motions"], []),
        # a question after context with no question mark; "their MCEM focus"; an item picked by a word of its name
        (("got a csam joining my v-team next wk, what does a CSAM do",), ["Orchestrates customer success"], []),
        (("what does a CSAM do", "what's their mcem focus?"), ["All stages post-sale"], []),
        (("who's in the CSU", "what does the architect one do?"), ["Technical delivery and consumption"], []),
        # "who <verb the documents never use> X": where X is, and that the documents name no one for it
        (("who prpeares the give/get worksheets",), ["give/get worksheets", "names no roles"], ["AE", "CSAM"]),
        (("who manages the pricing sheet",), ["pricing"], ["CSAM", "Customer Success Plan"]),
        # claims said as statements; "right after" needs the neighbour; abbreviations; a request after context
        (("CSA maintains the RAID logs?",), ["Yes,", "RAID logs"], []),
        (("is deploy right after proof",), ["No,", "The stage right after Proof is Close"], []),
        (("stage b4 deploy?",), ["Close comes before Deploy"], []),
        (("the 'how they work together' table - each collab and its purpose",), ["sales plays"], ["objective"]),
        (("putting together a deck - what are the mcem stages?",), ["Listen & Consult"], ["work together"]),
        (
            ("putting together a deck for the new starters, can u list all the mssp stages in order?",),
            ["Demand Generation, Prospect, Qualify"],
            [],
        ),
        # a noun phrase with "?" is no claim; context sentences, then a question that stands alone
        (("AE salary range and AE's MCEM focus?",), ["salary", "primary orchestrator"], ["No,", "Yes,"]),
        (
            (
                "in MAP: AE has mapped the stakeholders, ATS did technical discovery. "
                "who identifies the business outcomes and success criteria?",
            ),
            ["CSAM"],
            ["Yes,", "No,"],
        ),
        # situations: "before moving on" is leaving this stage; an outcome matched as fully as a step wins
        (
            ("at 20%, met the power and they admitted pain. what else do I need before moving on",),
            ["you are in Develop", "Power has buying vision"],
            ["Qualify comes before Develop"],
        ),
        (("we're at 10% and the opp assessment is completed. what now",), ["next comes Develop"], []),
        (
            ("signed docs are in. what stage now and who do we transition to?",),
            ["next comes Deploy", "Transition deployment ownership"],
            [],
        ),
        # follow-ups: the next stage's aspect; the first of a role's assignments; a role's unit after its tasks
        (("checkpoints in solution", "and the next stage's checkpoints?"), ["Proof has 4 checkpoints"], []),
        (
            ("which role-assignment stages involve the CSAM", "what do they do in the first one?"),
            ["In MAP, the CSAM", "success criteria"],
            [],
        ),
        (("what does the SSP do in MODERNIZE", "and in COMPETE?", "which unit are they in"), ["is in the STU"], []),
        (("mssp key steps of qualify", "which one's about partners"), ["Review list of potential partners"], []),
        # a stage named by an everyday word right after the auxiliary is the claim's subject
        (("doesn't qualify include setting up the qualification v-team?",), ["Yes,", "qualification v-team"], []),
        # yes/no fragments and '=' claims of a place; count bounds; "all stages" as a focus
        (("csa in the atu?",), ["No, the CSA is in the CSU"], []),
        (("access to power = develop checkpoint?",), ["Yes,", "checkpoint of Develop"], []),
        (("support = last mssp stage?",), ["Yes, Support is stage 9"], []),
        (("Does the Close stage have more than one checkpoint?",), ["No, Close has 1 checkpoint"], []),
        (("Is it correct that the AE's MCEM focus covers all stages?",), ["Yes,", "All stages"], []),
        (("CEs drive the technical win?",), ["No,", "SE"], []),
        # a thing said done ("deployment is done") is that stage's verifiable outcome, whatever "done" says of exits
        (("deployment is done, what now",), ["Support", "Deployed products"], ["Listen & Consult"]),
        (
            ("deployment's done and i'm handing over. what does the next stage want me to do first",),
            ["Support", "Transition support ownership"],
            ["Listen & Consult"],
        ),
        # what is still missing, or left, is asked of the stage the situation places the deal in
        (
            (
                "we've got access to power, power admitted the pain and has a buying vision. what's still missing for "
                "this stage?",
            ),
            ["Develop", "still to meet"],
            ["Stages in order"],
        ),
        # the stage just left is named with its owner, beside the next one's
        (
            ("customer agreement in hand + committed pipeline. which mcem stage did we just exit and who owned it",),
            ["Empower & Achieve (owned by the STU)", "Realize Value"],
            [],
        ),
        # a list asked for first is listed, though a checklist is its purpose
        (
            ("Please list every key step in Deploy - I'm putting together the post-close checklist for the team",),
            ["Transition deployment ownership"],
            ["Checkpoint 1 of"],
        ),
        # a stage counted from the end keeps that count: the other document's last stage, not its fifth
        (("last mcem stage?", "what about mssp"), ["Support", "stage 9 of the 9"], ["Solution is"]),
        (("last mssp stage", "and in mcem?"), ["Manage & Optimize"], ["none is stage 9"]),
        (("2nd to last mssp stage", "what about mcem"), ["Realize Value"], []),
        # the one sentence that asks, among sentences that only tell why
        (("Planning a MAP workshop. Is the CSA one of the MAP roles? Don't want to leave anyone out.",), ["No,"], []),
        (
            ("My STU colleague says they own the final stage. Is manage & optimise owned by the STU? Sounds wrong.",),
            ["No,", "CSU"],
            [],
        ),
        # ... but not when the others name what the question leaves out, or ask too
        (("Third MSSP stage. What's the probability?",), ["10%"], ["Prospect: 0%"]),
        (("raelize value comes before empower & achieve right? what's its exit",), ["Outcomes met"], []),
        # told sentences around the question: a glossary term or who the seller is do not hold it back
        (
            ("Forecast says 60% on my Contoso opty and it's in solution. Is solution 60%? Something feels off.",),
            ["No,", "40%"],
            [],
        ),
        (("Customer is deploying now. Deploy is 100%, right? Just double checking the forecast.",), ["Yes,"], []),
        (
            ("Hi, I'm new on the CSU side. What does a CSA actually do day to day? Trying to understand my peers.",),
            ["Technical delivery and consumption"],
            ["how long"],
        ),
        # "what does that one drive" after a role and its unit: the role (roles do, units own); "who takes it from
        # there?" after an MCEM stage: the next stage's owner
        (
            ("which unit is the ssp in", "and the other role in that unit?", "what does that one drive"),
            ["technical win"],
            ["accountable for the Inspire"],
        ),
        (
            ("which mcem stage ends with qualified pipeline", "who takes it from there?"),
            ["Inspire & Design", "STU"],
            [],
        ),
        # a name joined to one of its kind by "and" is one too; "X's role in Y and Z?" asks what it is
        (
            ("what does the csam do in compete and expand",),
            ["adoption opportunities", "doesn't name the CSAM in COMPETE"],
            [],
        ),
        (
            ("AE's role in MODERNIZE and EXPAND?",),
            ["account expansion opportunities", "its roles are the ATS"],
            ["No,"],
        ),
        (("CSAM's job in MAP?",), ["Identify business outcomes"], ["Yes,"]),
        # "final" of a proposal is no stage position; a line many stages have, that no other clause places, says
        # nothing of where the deal is
        (("does the proof stage include issuing the final proposal to power",), ["Yes,", "Issue final proposal"], []),
        (("revenue's showing in ms sales and siebel's updated, where to now",), ["Close", "Deploy"], ["Qualify"]),
        (
            ("contract, deployment SOW and support plan all finalised incl partners. am i done with close?",),
            ["Close"],
            ["Statement of Work"],
        ),
        # "what sits under it" after a key step: its sub-steps
        (
            ("first key step in proof", "what sits under it"),
            ["Demonstrate capabilities through proof of concept", "Build proposal"],
            [],
        ),
        # the lowest / highest of the stages a bounded list gave; "how many in total?"; "the one in between"
        (("which mssp stgs are above 50%", "checkpoints of the lowest one?"), ["Proof has 4 checkpoints"], []),
        (("which mssp stgs are above 50%", "and the highest one's VO?"), ["Deployed products"], []),
        (("first MSSP stage?", "its key steps", "how many in total?"), ["8 key steps"], ["9 sales-cycle stages"]),
        (
            ("VO for develop?", "compare that with Proof", "and the one in between?"),
            ["Preliminary solution agreed"],
            [],
        ),
        # review of the change: a stated percentage places the deal over a line matched on its words; "is that the
        # first one?" after a picked line is that line's; a check "at N" is no time; "the rest" naming a stage
        # asks of that stage; the seller's own role is kept when the question asks about it
        (("we're at 80% and the support plan isnt finalized. what's left?",), ["Close"], ["Support stage"]),
        (("first checkpoint in support", "is that the last one?"), [], ["Yes, Support is stage 9"]),
        (("check my deal at 20 weeks",), ["Which MSSP stage"], ["Develop: 5 checkpoints"]),
        (("first checkpoint in proof", "what's remaining in close?"), ["Close"], ["In Proof"]),
        (("I'm a CSAM. Am I in MAP?",), ["Yes,", "Identify business outcomes"], []),
        (("I’m a new CSA. Which MCEM stage is my unit accountable for first?",), ["Realize Value"], []),
        (("I'm not a CSA, I'm an ATS. what does my unit own?",), ["ATU", "Listen & Consult"], ["CSU"]),
        (("deployment readiness",), ["Deployment readiness re-assessed"], ["Checkpoint 1 of"]),
        (("Hi Team Lead here, who owns realize value?",), ["CSU"], ["team lead"]),
        (("whats the objective of close", "list the probabilities"), ["Demand Generation", "Support"], []),
        (("who owns realize value", "that unit's exit criteria"), ["Outcomes met"], []),
        (("sponsor has said yes, pain admitted. where are we?",), ["Qualify"], ["Proof's verifiable outcome"]),
        (("customer gave verbal yes on the proposal, now what",), ["Verbal approval received", "Close"], []),
        (("which checkpoints mention partners? we're partner-led on this opty",), ["Partner and/ or MS services"], []),
        (("Customer said no. What stage are we in?",), [], ["Support plan reviewed with customer"]),
        # a part the documents lack, then "? and ..." going on: the covered part answered, the other named
        (("what's the quota for AEs? and their mcem focus",), ["quota", "All stages"], ["Did you mean"]),
        # a job title written as one, whatever its words, is no role of the guide
        (("which unit is the Deal Desk Manager in? also whos in ATU",), ["deal desk manager", "ATS"], []),
        (
            ("what does the Deal Desk Manager do in close, and what are the close key steps",),
            ["deal desk manager", "give/get worksheets"],
            [],
        ),
        # "the rest?" after the first of a list; "that unit" after a stage's owner; "is that the last one?"
        (
            ("first chkpt for deploy?", "the rest?"),
            ["conditions of satisfaction determined", "readiness re-assessed"],
            [],
        ),
        (("who owns L&C?", "what else is that unit accountable for"), ["Strategic planning"], []),
        (("deploy VO?", "same q for support", "is that the last one?"), ["Yes,", "stage 9 of the 9"], []),
        (("proof probability", "is it the first one?"), ["No,", "Demand Generation"], []),
        # "they" after a unit's roles: each one's focus, or their row of the work-together table
        (("who's in the STU?", "both of them - what do they do?"), ["solution-specific", "technical win"], []),
        (("who's in the ATU", "what do they do together?"), ["Define account and technology strategy"], []),
        # "my unit" is the unit of the role the seller says they are
        (
            ("I'm a new CSA and the deal just got committed. Which MCEM stage is my unit accountable for first?",),
            ["Realize Value", "CSU"],
            ["Listen & Consult is owned"],
        ),
        # what is needed before moving to a stage: what ends the one before it
        (
            ("we're still in Listen & Consult. What do I need before it moves to Inspire & Design?",),
            ["Qualified pipeline"],
            ["Committed pipeline"],
        ),
        (("what needs to be done before we move to proof",), ["Eval plan underway"], []),
        (("proof readiness",), ["Checkpoint 1 of 4"], []),
        # checks asked in more ways: a bare round number a deal is at, "run me thru", "see if we can leave"
        (("chk my opp at 20",), ["Access to power", "Checkpoint 1 of 5"], []),
        (("can u run me thru the qualify readiness",), ["Checkpoint 1 of 4", "Pain admitted by sponsor"], []),
        (("lets see if we can leave proof",), ["Checkpoint 1 of 4", "Eval plan completed"], []),
        # progress reported, then a yes/no about it: where the deal stands, not a claim about a line
        (
            (
                "we're 80% with northwind. contract and the deployment sow are basically done but the support plan "
                "isnt. can we call this stage finished?",
            ),
            ["you are in Close"],
            ["Yes,", "Support stage"],
        ),
        (
            ("tailspin agreed our early version of the solution in the workshop today. where does that put us",),
            ["Preliminary solution agreed upon", "next comes Proof"],
            [],
        ),
        # a stage counted from one found by its probability; a position counted from the end, however said
        (("opp is at 60% today. which stage is two after that one",), ["Deploy"], ["Close is"]),
        (("5th key step counting from the end in develop",), ["Develop opty engagement strategy"], ["number of"]),
        (("second stage from the end",), ["Realize Value", "Deploy"], ["Support is"]),
        # paraphrased lines: a patch is a territory, a champion a sponsor, finding is identifying
        (("where do we make sure the prospect is actually in my patch",), ["Prospect is in assigned territory"], []),
        (
            ("which stage is it where we find someone who might champion this opportunity",),
            ["Prospect"],
            ["names no role", "Stages in order"],
        ),
        # picked from a role assignment's roles: that role's task there; "in MAP?" asks the same of MAP
        (("what roles are in MODERNIZE", "the 3rd?"), ["Drive technical implementation"], []),
        (("what does the SSP do in compete", "and in EXPAND?", "in MAP?"), ["doesn't name the SSP in MAP"], []),
        # an aspect turned down is not asked; "my first eval plan" is no position
        (
            ("I'm building my first eval plan - just the develop key steps please, not the checkpoints",),
            ["13 key steps"],
            ["Develop has 5 checkpoints", "Key step 1 of"],
        ),
        # a list narrowed by words that are also cue words, or by "touches"
        (("qualify key steps", "which of those mentions the verifiable outcome"), ["Confirm verifiable outcome"], []),
        (
            ("whats the objective of close", "list the key steps", "which of those touches MS Sales"),
            ["revenue in MS Sales"],
            [],
        ),
        # "compare it with ..." after an answer about one stage or role: the two side by side
        (("probability of solution", "compare it with the next"), ["Solution vs Proof", "40%", "60%"], []),
        (("probability of solution", "compare with proof"), ["40%", "60%"], []),
        (("what's in the CSAM role", "mcem focus?", "compare it with the AE's"), ["post-sale", "orchestrator"], []),
        (("who owns empower & achieve", "compare it with the stage before it"), ["Inspire & Design", "STU"], []),
        # a round number alone after a question at a percentage is the next percentage
        (("whats the VO at 60%", "and at 80%?", "and 100"), ["Deployed products"], []),
        # a row of the how-they-work-together table, by the roles named or by its words
        (
            ("in the how they work together table, what's AE + ATS for", "and the CSA row"),
            ["Delivers technical outcomes"],
            [],
        ),
        (
            ("in the how they work together table, which combo is there to define account and technology strategy",),
            ["AE (Account Executive) and the ATS"],
            ["CSAM"],
        ),
        # an MCEM focus described: the roles whose focus line has the words, or each role's focus when none has
        (("whose mcem focus is all stages?",), ["AE", "CSAM", "All stages post-sale"], ["SSP"]),
        (("which role's mcem focus is cheese",), ["in those words", "Compete, Expand"], ["SE (Solution Engineer)"]),
        # "who" asked again with nothing named is the same question; with a stage number it is another
        (
            ("who is meant to author the sponsor letter in qualify? which role does it say",),
            ["names no roles"],
            ["SSP (", "CSAM"],
        ),
        (("who owns the first mcem stage and who owns stage 6?",), ["no stage 6", "ATU"], []),
        # a role assignment's name after "focus on" is read in the roles' MCEM focus lines
        (("which roles focus on modernize",), ["ATS", "CSA", "Modernize (implementation)"], ["CSAM"]),
        (("who focuses on expand?",), ["SSP", "CSA", "consumption-based growth"], ["ATS"]),
        # walking a list of lines: "and the last"; "the other two" after the first of three
        (("close key steps", "2nd one?", "and the last"), ["revenue in MS Sales"], ["Support"]),
        (
            ("MAP stage roles?", "The first one's job there?", "And the other two?"),
            ["Conduct technical discovery", "Identify business outcomes"],
            [],
        ),
        # "what does the 2nd one own" after a unit's roles: that role's focus; a line of the stage in context
        (("roles in atu", "what does the 2nd one own", "and the other one"), ["overall account strategy"], []),
        (("Demand Generation checkpoint?", "And the last key step there?"), ["Enter MQP/SQP into Siebel"], []),
        # "number 3" is a position, of what is named before it
        (("which role is number 3",), ["ATS"], []),
        # count words are not content; "position six"; the "line" and "row" of the guide are its wording
        (("the five roles and their MCEM Focus",), ["primary orchestrator", "post-sale"], []),
        (("what mssp stage is at positon six",), ["Proof"], []),
        (
            ("In the 'How They Work Together' table, what do AE + ATS do together?",),
            ["Define account and technology"],
            [],
        ),
        # a long polite request; "demo" is demonstrate
        (
            (
                "Could you go through each of the five roles in the guide and tell me what the MCEM Focus line "
                "says for each one?",
            ),
            ["primary orchestrator", "solution-specific opportunities"],
            [],
        ),
        (("which stage do we demo capabilities through a POC",), ["Proof"], []),
        # a stage or a job title neither document has; a second question after "? +"
        (
            ("probability of the Negotiate stage, and of Proof?",),
            ["There is no \u201cNegotiate\u201d stage in either document", "60%"],
            [],
        ),
        (("what does a customer engineer do",), ["doesn't name a \u201ccustomer engineer\u201d role"], []),
        (("warranty period after deploy? + deploy prob",), ["warranty", "100%"], []),
        (("checkpoints of the proof stage",), ["Proof has 4 checkpoints"], ["There is no \u201c"]),
        # an everyday word in a stage's place in a claim: "a deploy thing"
        (("sponsor letter is a deploy thing?",), ["No,", "Qualify"], []),
        # positions: among the roles as the guide numbers them, inside a role's responsibilities, one document
        (("role #3 in the role definitions?",), ["ATS"], ["SSP (Solution Sales Professional)"]),
        (("whats the AE's 2nd key responsibility",), ["Understand customer business challenges"], ["quarterback"]),
        (("the CSA's 9th key responsibility",), ["4 key responsibilities, so there is no number 9"], []),
        (("penultimate mcem stage? (not mssp)",), ["Realize Value"], ["Listen & Consult"]),
        (("who owns the change management plan in modernise",), ["CSAM"], ["SSP", "which unit owns"]),
        # positions from the end with a noun between, "second last", going back from a stage
        (("3rd stage from the end in mssp, and what % is it",), ["Close", "80%"], ["Yes,", "exit criteria"]),
        (("go back two stages from close - which stage is that",), ["Solution"], []),
        (("the second last key step of support",), ["Monitor support plan progress"], []),
        # a role across the role assignments: their list, and positions among those that name it
        (("in the stage role assignments, which stages have the CSA in them",), ["EXPAND and MODERNIZE"], []),
        (("list the stage assignments where the ATS has a job",), ["MAP, COMPETE and MODERNIZE"], []),
        (
            ("in the role assignments, whats the last stage that still has the AE in it",),
            ["In EXPAND, the AE", "Identify account expansion opportunities"],
            ["MODERNIZE"],
        ),
        (("exit criteria, every mcem stage, bullet list",), ["Qualified pipeline", "Outcomes met"], []),
        # "MCEM areas" is the MCEM focus; "the last of those" is its last role assignment
        (
            ("which mcem areas does the ATS focus on", "what does the ATS do in the last of those"),
            ["cloud architecture"],
            ["technical discovery"],
        ),
        # follow-ups: the same role-in-assignment question for another item or assignment; a scope first
        (("who's in COMPETE", "what does the first one do there", "and the last one?"), ["overall win strategy"], []),
        (("what does the csam do in MODERNIZE", "same role in MAP?"), ["In MAP, the CSAM", "success criteria"], []),
        (("in the role definitions, who's number 4", "their focus?"), ["Technical delivery and consumption"], []),
        # "which of them ..." after a list of roles: a line of one of those roles
        (("who is in the CSU", "which of them keeps the RAID logs"), ["CSA", "RAID logs"], []),
        # "which of the two", "which one ..." over the previous answers or the listed lines
        (("objective for deploy", "and for support", "which of the two has a probability"), ["Deploy: 100%"], []),
        (("whats the ssp's focus", "and the AE's?", "which of the two is the quarterback"), ["AE"], []),
        (
            ("prospect key steps?", "whats the 4th", "and which one talks about strategic partners"),
            ["strategic partners"],
            [],
        ),
        # one stage's two lists; a range "from X through to Y"
        (
            ("prospect stage: checkpoints AND key steps pls, prepping for a pipeline review",),
            ["Prospect has 2 checkpoints", "pre-call research"],
            [],
        ),
        (("list the verifiable outcomes from qualify through to close",), ["Verbal approval received"], ["Deploy"]),
        # "capabilities" of a line is no request for help; "nested" steps; a last clause asking yes or no
        (("who positions modern workload capabilities",), ["SSP"], ["What StageCoach can do"]),
        (("in solution, what's the last of the nested steps under execute eval plan",), ["Meet with customer"], []),
        (("my contoso opp is in proof, is that 80%",), ["No, the probability at Proof is 60%"], []),
        (
            (
                "For the Solution and Close stages, could you please list the verifiable outcome and the "
                "checkpoint of each one?",
            ),
            ["Signed documents"],
            ["Yes,"],
        ),
        # stages filtered by how many lines they have
        (("which mssp stages only have a single chekpoint",), ["Demand Generation, Solution and Close"], ["Qualify ("]),
        (("which stages have 4 checkpoints",), ["Qualify and Proof"], []),
        # bounds that include their number
        (("stages at 60% or higher, with the % pls",), ["of at least 60%", "Proof 60%", "Deploy 100%"], ["Solution"]),
        (("stages at 20% or lower",), ["of at most 20%", "Develop 20%"], ["Solution"]),
        # a range of stages named by its ends
        (("probabilities qualify thru close",), ["Develop: 20%", "Proof: 60%"], ["Deploy"]),
        # a polite request is not a yes/no question
        (("can u list the checkpoints of proof",), ["Proof has 4 checkpoints"], ["Yes,", "No,"]),
        # a comparison that asks for several aspects gets each, for each side
        (("solution vs proof - probability and outcome for each",), ["40%", "60%", "Verbal approval received"], []),
        (("realise value vs manage and optimise - exit criteria and owner",), ["CSU", "Outcomes met"], []),
        (("qualify checkpoints", "the second of those?"), ["Sponsor has buying vision"], ["None of"]),
        # the stage next to a named one, and what is asked of it
        (("stage before close and its probability",), ["Proof", "60%"], ["80%"]),
        (("the stage right after demand generation - what's the outcome there",), ["Potential Sponsor identified"], []),
        (("role assignment that comes just before EXPAND?",), ["COMPETE involves"], []),
        (("stage before close",), ["Proof comes before Close"], []),
        # a second question after a preposition or a "+"; a second half that adds only what is not covered
        (
            ("is there a template for the sponsor letter, and in which stage do we send it?",),
            ["Qualify", "template for the sponsor letter"],
            [],
        ),
        (("MODERNIZE roles pls + which azure services they migrate customers to",), ["azure", "CSA"], []),
        # a number the documents never give; a duration of anything
        (("how many partners should we select in develop?",), ["don't give a number of partners"], []),
        (("how long is the handover from STU to CSU",), ["give no timings"], []),
        # a position among the stages one unit is accountable for
        (("which stage does the CSU own first",), ["Realize Value"], ["Listen & Consult"]),
        (("what's the last stage owned by the STU",), ["Empower & Achieve"], ["Manage & Optimize"]),
        (("the STU's third stage",), ["accountable for 2 MCEM stages"], []),
        # two questions the documents answer, which read as one would answer only one of
        (
            ("what does the SE do, and how many SEs are there per STU?",),
            ["technical win", "doesn't say how many", "is in the STU"],
            [],
        ),
        # context first, then a question that stands alone
        (
            ("hey, customer is a bank, procurement is brutal. anyway who drives the technical win?",),
            ["SE (Solution Engineer)"],
            [],
        ),
        (
            (
                "Good afternoon! I've been asked to organise a workshop for the account team next month. "
                "To kick off, could you remind me what MCAPS stands for?",
            ),
            ["Microsoft Customer and Partner Solutions"],
            [],
        ),
        (("r there 5 stages in mcem",), ["Yes", "5 stages"], []),
        (("products are deployed at contoso and live. what stage do we move into?",), ["Support"], []),
        (
            ("which partner program do we use in qualify",),
            ["doesn't say anything about a partner program", "list of potential partners"],
            [],
        ),
        (("what template do we use in develop",), ["doesn't say anything about a template in Develop", "20%"], []),
        (("woh in the STU owns the proof of concept",), ["don't say which STU role", "proof of concept"], []),
        (("which mcem stage is where we update siebel",), ["doesn't say which MCEM stage", "Siebel"], []),
        # extra words
        (("honestly, in plain words, who owns realise value again for my Fabrikam deal?",), ["CSU"], ["ATU"]),
        (
            ("hi, just a sanity check before I update the forecast, no biggie: what's the probability at solution?",),
            ["40%"],
            ["Checkpoint 1 of"],
        ),
        (("which has the higher probability, develop or close?",), ["80%", "20%"], []),
        (
            ("the team want a recap of where we are, so... what's the verifiable outcome of the deploy stage?",),
            ["Deployed products"],
            [],
        ),
        (("when is the next MCAPS Start event and where is it",), ["don't know"], ["Microsoft Customer and Partner"]),
        # follow-ups over a list or a pair
        (("who is in the STU?", "what does the second of those do?"), ["technical win"], []),
        (("AE versus CSAM", "and the other one?"), ["CSAM"], []),
        (("AE versus CSAM", "what about their units?"), ["ATU", "CSU"], []),
        (("verifiable outcome of qualify", "and the stage after?"), ["Evaluation (Eval) plan agreed"], []),
        (("what's the first mcem stage?", "and the last?", "who owns the last one"), ["Manage & Optimize", "CSU"], []),
        (("what does MCEM stand for", "and its stages?"), ["Listen & Consult", "Manage & Optimize"], []),
        (("SE stands for?", "their unit", "other role in it"), ["SSP"], []),
        (("what's the SSP's MCEM focus", "what does it do in the first"), ["competitive intelligence"], []),
        (
            ("what's the ATS's MCEM focus", "what do they do in the last of those", "and who else is in that stage"),
            ["SSP", "CSA", "CSAM"],
            [],
        ),
        (
            ("who is involved in COMPETE", "their units?", "what does the 3rd one do there"),
            ["overall win strategy"],
            [],
        ),
        (("which unit owns inspire & design", "and the other stage they own?"), ["Empower & Achieve"], []),
        (("what's the first mcem stage", "who's accountable for it"), ["ATU"], ["side by side"]),
        # one part asks what the documents do not have, the other is answered
        (("whats the quota for an AE and what do they focus on",), ["overall account strategy", "quota"], []),
        # two positions of one list, each answered, or named as not there
        (("the 3rd and 5th mssp stages",), ["Qualify is stage 3", "Solution is stage 5"], []),
        (("the 2nd and 3rd checkpoint of proof",), ["Pre-proposal", "Ask for business"], []),
        (
            ("what's the 11th key step in develop, and the 14th?",),
            ["Validate eval plan", "there is no key step 14"],
            [],
        ),
        # a pronoun in the second half stands for what the first half talks about
        (
            ("deadline for getting verbal approval? and which stage is it the outcome of",),
            ["don't say how long", "Proof"],
            [],
        ),
        (("which tool do we keep the RAID logs in, and which role maintains them?",), ["CSA", "RAID logs"], []),
        (
            ("how many days should qualify take, and what's its verifiable outcome?",),
            ["don't say how long", "Sponsor letter agreed upon"],
            [],
        ),
        (("how many people should be on the qualification v-team",), ["don't give a number of people"], []),
        (
            ("exit criteria for the 'negotiate & close' mcem stage and for empower & achieve?",),
            ["no \u201cNegotiate & close\u201d stage", "Committed pipeline"],
            [],
        ),
        (("how long does proof take?",), ["don't say how long"], ["What the documents do say"]),
        # a time the seller mentions is not a position or a timing asked
        (
            (
                "eval plan is complete including partner and services, the pre-proposal SOW review happened last "
                "week, and she still hasn't asked for the business. Which stage is she in, what's the probability, "
                "and what should she do next?",
            ),
            ["you are in Proof", "60%", "Ask for business"],
            ["last MSSP stage", "don't say"],
        ),
        # a percentage and what is still needed: where the deal stands
        (("we're at 40% now, what needs to be true before we move up",), ["you are in Solution"], []),
        (("20% deal, what do i need done b4 i can call it 40",), ["you are in Develop"], []),
        # a line, a dash, then the place claimed for it
        (("define preliminary solution - proof step?",), ["No, ", "Solution"], []),
        (("pain admitted by power - qualify checkpoint?",), ["No, ", "Develop"], []),
        (("ats mcem focus incl expand?",), ["No, "], []),
        (("Are there exactly three accountable units in the MCEM guide?",), ["Yes, ", "ATU, STU and CSU"], []),
        (("are there 7 roles in mcem?",), ["No, ", "6 roles"], []),
        # a cue word inside a stage's name ("achieve in") is the name's
        (("Which stage is coming directly after Empower & Achieve in MCEM?",), ["Realize Value"], ["objective"]),
        (("Which MCEM stage is coming second, please?",), ["Inspire & Design"], []),
        (("what's the stage two steps before Close, and what probability does it carry?",), ["Solution", "40%"], []),
        (("list the MSSP stages which come after Close, with their objectives",), ["Finalize deployment plan"], []),
        (("3 stages after qualify is which one?",), ["Proof is stage 6"], ["side by side"]),
        # the same question of the neighbouring stage, then the later of the two
        (
            ("which stage do we build the value prop in?", "what's the probability there and in the one after it"),
            ["Solution is 40%", "Proof is 60%"],
            [],
        ),
        (
            (
                "which stage do we build the value prop in?",
                "what's the probability there and in the one after it",
                "and the VO for that later one?",
            ),
            ["Verbal approval received"],
            ["Preliminary solution agreed"],
        ),
        (("what's the 3rd mcem stage", "exit for it?"), ["Committed pipeline"], ["no check open"]),
        # "that unit": the unit the conversation is about
        (
            (
                "who designs the migration strategy in modernize",
                "what unit is that role in",
                "which stage does that unit own + its exit",
            ),
            ["Listen & Consult", "Qualified pipeline"],
            [],
        ),
        (
            (
                "who owns the customer success plan",
                "which unit do they belong to",
                "exit criteria for that unit's stages",
            ),
            ["Outcomes met", "Completed opportunity"],
            [],
        ),
        (("verifiable outcome for prospect?", "and the first key step of the stage after that"), ["v-team"], []),
        (("sanity check: which stages sit between 10% and 40%",), ["Qualify", "Develop", "Solution"], ["Proof"]),
        (
            ("for the stages at 60% or more, what are the verifiable outcomes",),
            ["Signed documents"],
            ["Sponsor letter"],
        ),
        (
            ("we've got committed pipeline and the customer has agreed - which mcem stage did that just close out",),
            ["Empower & Achieve"],
            [],
        ),
        # several questions about one subject, each after the one before
        (
            (
                "Priya's opportunity is in the third MSSP stage. Which one is that, what's its probability, and "
                "what's the first key step she should do?",
            ),
            ["Qualify is stage 3", "Qualify is 10%", "Establish qualification v-team"],
            [],
        ),
        (
            (
                "Ahmed keeps asking about the MCEM stage right before Realize Value. What's it called, what's its "
                "exit criteria, and which unit owns it?",
            ),
            ["Empower & Achieve", "Committed pipeline", "STU"],
            ["Outcomes met"],
        ),
        (
            (
                "I want Zoe to understand the back end of the MSSP. What's the second-to-last stage, its probability, "
                "and its first checkpoint?",
            ),
            ["Deploy is stage 8", "100%", "New prospects identified"],
            ["anything about a second"],
        ),
        (("whereabouts in mssp do we map out how the customer procures",), [], ["MSSP is the Microsoft"]),
        # a title or a unit the guide does not have, set beside one it has
        (("AE vs deal desk manager, what does each do",), ["doesn't name a \u201cdeal desk manager\u201d role"], []),
        (("compare the ATU with the partner unit - which roles sit in each?",), ["no \u201cpartner unit\u201d"], []),
        # a probability asked of an MCEM stage beside an MSSP one
        (
            ("mssp close probability vs mcem empower & achieve probability?",),
            ["80%", "doesn't give its stages a probability"],
            [],
        ),
        (("is inspire & design a higher probability than solution?",), ["No, "], ["Yes"]),
        (
            ("checkpoints of proof and exit criteria of realize value",),
            ["Ask for business"],
            ["doesn't give checkpoints"],
        ),
        (("which mssp stages dont have a % at all",), ["Demand Generation and Support"], ["60%"]),
        # a situation: what it says is still being worked on, and questions its answer already covers
        (
            ("we're still trying to build qualified pipeline, AE is leading. which mcem stage is that and which unit",),
            ["you are in Listen & Consult", "ATU"],
            ["next comes"],
        ),
        (
            (
                "we're midway through the eval - defining the prelim solution & deployment strategy, value prop "
                "drafted. which stage am i in and what outcome am i aiming for",
            ),
            ["Solution", "Preliminary solution agreed upon"],
            ["Signed documents"],
        ),
        (("which mcem stage ends with committed pipeline",), ["Empower & Achieve"], ["Realize Value"]),
        # two claims in one yes/no question, each judged; a No leads
        (("is proof 60% and close 90%?",), ["No, the probability at Close is 80%", "Proof is 60%"], []),
        (("does the CSU own realize value and listen & consult?",), ["No, Listen & Consult", "owns Realize Value"], []),
        (("is the SE in the STU and the CSA in the CSU?",), ["SE is in the STU", "CSA is in the CSU"], ["No,"]),
        # the stage a percentage names, then the one after it
        (("which stage sits at 40% and which one comes straight after",), ["Solution", "Proof comes after"], []),
        (("list all the verifiable outcomes across mssp",), ["Signed documents", "Potential Sponsor"], []),
        (
            ("northwind opp is sitting at 20%. what should be true by the time we leave this stage, and what % next",),
            ["you are in Develop", "Solution (40%)"],
            [],
        ),
        # positions among a role assignment's roles, and among the rows of the collaboration table
        (("last role listed under MODERNIZE, and their task there?",), ["CSAM", "transformation vision"], ["ATS"]),
        (("in COMPETE who's listed first",), ["SSP", "competitive intelligence"], ["overall win strategy"]),
        (("2nd role under compete + what it does",), ["ATS", "technical differentiation"], ["ATU"]),
        (("third role under MODERNIZE and their job there",), ["technical implementation"], ["RAID"]),
        (("5th role in MAP",), ["lists 3 roles for MAP"], []),
        (("what's the bottom row of the collaboration table say",), ["CSAM: Ensures long-term success"], ["AE + ATS"]),
        (("3rd row in 'how they work together'?",), ["Row 3 of 4", "CSA"], ["SSP:"]),
        # a second half that refers to what the first found
        (("who drives the technical win, and which unit are they in?",), ["SE", "STU"], ["ATU (Account Team Unit)"]),
        (
            ("which mcem stages does the STU own and what are the exit criteria for each",),
            ["Customer aligned to solution", "Committed pipeline"],
            ["Qualified pipeline"],
        ),
        (
            ("which role owns the step 'Validate or negotiate partner engagement guidelines', and in which stage?",),
            ["doesn't name a role", "Develop"],
            [],
        ),
        # superlatives, "before the final one", "the stage right before it", "numbered" roles, a verb that is
        # also a stage's name
        (
            ("which stage has the highest probability, and what's the stage right before it (with its %)",),
            ["Deploy is 100%", "Close is 80%"],
            [],
        ),
        (("which stage has the lowest probability",), ["Prospect is 0%"], []),
        (
            ("in develop, what's the key step just before the final 'confirm verifiable outcome' one",),
            ["Propose eval plan"],
            [],
        ),
        (("the 4th numbered role in the guide - what's their focus?",), ["Technical delivery and consumption"], []),
        (
            ("in which mssp stage do we develop the negotiating and give/get worksheets",),
            ["Close"],
            ["Develop is stage"],
        ),
        (("what's the verifiable outcome for develop", "and for the stage before it?"), ["Sponsor letter"], []),
        # claims about all role assignments, a line's place in a list, a line at a percentage
        (("does the AE appear in all four of the stage role assignment sections",), ["No, ", "not in MODERNIZE"], []),
        (("is 'ask for business' the last checkpoint in proof",), ["No, checkpoint 4 of 4 in Proof"], []),
        (("is ask for business the third checkpoint of proof?",), ["Yes, ", "checkpoint 3 of 4"], []),
        (("customer gave verbal approval - is that the 40% stage?",), ["No, ", "Proof"], ["Yes"]),
        # "those" with nothing said before: asked back, not every unit listed
        (("which accountable unit are both of those roles in?",), ["not sure which ones you mean"], ["ATU ("]),
        (("name both roles in the CSU", "which accountable unit are both of those roles in?"), ["CSU"], ["ATU"]),
        # context before the question: a quiz about a named stage is no situation; "sanity check", "before
        # Monday" are no checkpoints or neighbour; the one sentence with "?" asks yes or no
        (
            ("Pipeline quiz for the team: which stage comes right before Deploy, and what is its verifiable outcome?",),
            ["Signed documents"],
            ["you have reached"],
        ),
        (
            ("Quick sanity check before Monday: does the STU own Realize Value? Kai insists it does.",),
            ["No, Realize Value is owned by the CSU"],
            ["checkpoints"],
        ),
        (
            ("Training question for Northwind: what's the first key step in Develop, and what's the last one?",),
            ["Establish and transition opty ownership", "update opty assessment and Siebel"],
            ["Support is stage 9"],
        ),
        # chatter before a question: "her", "I've", "one-liner" are no unknown words; "can someone remind her
        # what ..." asks, it is no yes/no
        (
            (
                "Team, for the Contoso renewal I've got Priya stepping in as the CSA. Can someone remind her what the "
                "CSA's MCEM focus is, and which unit she actually sits in?",
            ),
            ["Modernize (implementation)", "CSU"],
            ["No, ", "don't say anything about"],
        ),
        (("What's the one-liner for SEs, and which unit are they in?",), ["technical win", "STU"], []),
        # what the guide does not give a unit, a role or a number
        (
            ("what does the CSU do during listen & consult, and who owns that stage",),
            ["doesn't say what the CSU does", "ATU"],
            [],
        ),
        (
            ("whats the SE's mcem focus compared with the CSA's?",),
            ["doesn't give the SE an MCEM focus", "Modernize"],
            [],
        ),
        (("what's the AE's job in MODERNIZE? and the ATS's?",), ["doesn't name the AE in MODERNIZE", "migration"], []),
        (("what's mcem stage 0? and what's the first stage",), ["no stage 0", "Listen & Consult"], []),
        # one line of every role, and lines of named stages narrowed by words
        (
            ("list the mcem focus line for each of the five roles in the role definitions",),
            ["All stages", "Modernize"],
            [],
        ),
        (
            ("give me the one-line focus of each of the 5 numbered roles",),
            ["Drives solution-specific sales motions"],
            [],
        ),
        (("all roles whose mcem focus includes expand",), ["SSP"], ["ATS"]),
        (
            ("every checkpoint across qualify and develop that involves power",),
            ["Access to power negotiated", "Power has buying vision"],
            ["Sponsor has buying vision"],
        ),
        (("every place the CSAM turns up in the stage role assignments + what they do there",), ["MODERNIZE"], []),
        # lists asked in few words
        (("mcem exit criteria, all five pls",), ["Qualified pipeline", "Completed opportunity"], ["MCEM stands for"]),
        (("the stages between qualify and close, with their probabilties",), ["Develop: 20%", "Proof: 60%"], []),
        (("role definition number 3?",), ["ATS"], []),
        (("numbered role definitions in order pls",), ["SSP", "CSAM"], []),
        # the line next to a named one, without a list before
        (("checkpoint that comes right after 'sponsor has buying vision'",), ["Sponsor agrees to explore"], []),
        (("checkpoint just before 'ask for business'",), ["Pre-proposal"], []),
        # two roles in the same unit, or not
        (("is the ATS in the same unit as the AE",), ["Yes, ", "ATU"], []),
        (("is the CSA in the same unit as the SE?",), ["No, ", "CSU", "STU"], []),
        # a system named implies writing into it; handing over is a transition; "on their plate"
        (("which stages have a key step that updates siebel",), ["Demand Generation", "Close"], []),
        (("which stages hand over ownership of something",), ["Deploy", "Support"], []),
        (("whats on the CSA's plate - full responsibilty list",), ["RAID logs"], []),
        # follow-ups: a run of lines and the rest of them, the same list at another percentage, the listed
        # roles sorted by a role assignment, the NA stages
        (
            ("first 2 checkpoints in proof", "and the other two?"),
            ["Ask for business", "decision due"],
            ["Eval plan completed"],
        ),
        (("checkpoints for the stage at 0%", "and at 100%?"), ["Deploy has 3 checkpoints"], []),
        (("which roles are in EXPAND", "which of those aren't in MODERNIZE"), ["doesn't name the AE in MODERNIZE"], []),
        (("which roles are in EXPAND", "which of those are also in MODERNIZE"), ["modern workload"], ["the AE"]),
        (("how many mssp stages are there", "and how many of them are NA"), ["Demand Generation and Support"], []),
        # a statement of where the deal is, then a question that makes no claim
        (
            ("customer is aligned to the solution and the business case. next mcem stage and its exit criteria?",),
            ["Empower & Achieve", "Committed pipeline"],
            ["No, "],
        ),
        (
            ("we're at 20% and the power just agreed the eval plan. next stage and its probability?",),
            ["Solution", "40%"],
            ["Yes, "],
        ),
        # what the documents name but never list or give examples of
        (
            ("which baseline metrics do we need for realise value, and who's accountable for that stage",),
            ["don't say which baseline metrics", "CSU"],
            [],
        ),
        (
            ("give me a few examples of a compelling event and which stage that checkpoint is in",),
            ["no examples", "Qualify"],
            [],
        ),
        (
            ("last support key step says update the system - which system exactly is that?",),
            ["don't say which system"],
            [],
        ),
        (("what checkpoints does proof have",), ["Ask for business"], ["don't say which"]),
        (
            (
                "Coaching Leo - he's in the second MCEM journey stage. What's that stage called, who owns it, and what "
                "exit criteria does he need to hit?",
            ),
            ["Inspire & Design", "STU", "Customer aligned"],
            [],
        ),
        # counts and places in a role assignment's list, a role's responsibilities, a key step's sub-steps
        (
            ("EXPAND stage - how many roles are listed", "the last one listed and its job"),
            ["consumption-based expansion"],
            [],
        ),
        (("EXPAND stage - how many roles are listed",), ["EXPAND involves 4 roles"], ["MSSP has 9"]),
        (("what's the CSAM's 2nd key responsibility", "and the 4th"), ["executive sponsors"], []),
        (
            ("what does the ATS do in MODERNIZE", "who's listed after them there", "and last?"),
            ["CSAM", "transformation vision"],
            [],
        ),
        (("what are the sub-steps for proof's first key step",), ["Demonstrate capabilities", "Build proposal"], []),
        # the same look-up of another line
        (("in which stage do we establish the opty v-team", "and the qualification v-team?"), ["Qualify"], []),
        (("who keeps the raid logs", "and the success plan?"), ["CSAM", "Customer Success Plan"], []),
        # requests in chat words, and who is at a place in a list
        (("gimme the mcem stages in order",), ["Listen & Consult", "Manage & Optimize"], []),
        (("run me through the mssp stages w/ the probability for each",), ["Proof 60%", "Close 80%"], ["lead/"]),
        (("who's 4th in the modernize list",), ["CSAM", "transformation vision"], []),
        (("who's listed first under role definitions",), ["SSP"], ["is in the STU"]),
        # the exit criteria of the stages just named; a stage said finished, then what's next
        (
            ("which unit is the ats in", "what stage does that unit own", "exit criteria?"),
            ["Qualified pipeline"],
            ["Completed"],
        ),
        (("the STU's second stage and its exit criteria",), ["Committed pipeline"], ["Realize Value"]),
        (("realize value done. whats next n who owns",), ["Manage & Optimize", "CSU"], []),
        (
            ("post close follow up done with the vteam and deployment ownership transitioned. what now",),
            ["Support"],
            [],
        ),
        # how many the last answer listed
        (("develop checkpoints?", "how many is that"), ["That is 5 checkpoints"], []),
        (("which stages does the stu own", "how many is that"), ["That is 2 MCEM stages"], []),
        (
            (
                "Which MSSP stage has the probability of 10%?",
                "And what is the first key step of it?",
                "How many checkpoints does it have?",
            ),
            ["4 checkpoints"],
            ["That is 6"],
        ),
        # a place in the same list of another stage
        (("solution stage checkpoint?", "and proof's first one?", "the one after that?"), ["Pre-proposal"], []),
        # where the line just found is
        (("who provides workload-specific competitive intel", "in which assignment stage"), ["COMPETE"], ["MAP:"]),
        # from the review: three claims, "any of the four", "before you get to", "then", apostrophes, cue words
        (
            ("is proof 60% and close 90% and develop 20%?",),
            ["No, the probability at Close is 80%", "Develop is 20%"],
            [],
        ),
        (("is the AE in any of the four role assignments?",), ["Yes, "], ["not in MODERNIZE"]),
        (("what stage comes before you get to proof?",), ["Solution comes before Proof"], []),
        (
            ("develop key steps", "4th one", "what comes before that then?"),
            ["Confirm that power agrees to explore"],
            [],
        ),
        (("we're in the customers' phase of the proof stage, what's the probability?",), ["60%"], ["Re in the"]),
        (("what verifiable outcome exactly do we need in proof",), ["Verbal approval received"], ["don't say which"]),
        (("how do the roles work together, bottom line?",), ["AE + ATS", "CSAM"], []),
        (("the 3rd and 5th MSSP stages, with their probabilities",), ["Qualify is 10%", "Solution is 40%"], []),
        (("does the guide have 6 roles",), ["Yes, ", "Role Definitions describe 5"], []),
        # "the goal of MCEM" is what MCEM is for, not a stage objective it lacks
        (("what's the goal of MCEM",), ["unified framework"], ["doesn't give sales stage objective"]),
        # "what's next?" right after a situation answer that moved on to the next stage is about that stage
        (
            ("customer gave verbal approval, what stage does that put us in", "what's next?", "its only checkpoint?"),
            ["support plan finalized"],
            ["Deploy has"],
        ),
        (("who provides workload-specific competitive intel", "who else is in that one"), ["ATS", "AE"], []),
        # a probability asked of a list of stages, an MCEM one among them; a second thing asked after "and the"
        (("probability of proof and of realize value",), ["60%", "doesn't give its stages a probability"], []),
        (
            ("key steps of close, and the SLA for getting the contract signed",),
            ["Develop final contracts", "“sla”"],
            [],
        ),
        # walking the lines just listed
        (("first key step of deploy?", "ok and after that?"), ["Provide feedback to partners"], []),
        (("first key step of deploy?", "ok and after that?", "and the one before that"), ["post-close"], []),
        (("proof checkpoints?", "which one comes right before ask for business"), ["Pre-proposal"], ["Ask for"]),
        (("list the close key steps", "the first two of those"), ["final contracts", "give/get"], ["MS Sales"]),
        (("list the mssp stages", "last 3 of them, probabilities"), ["Close: 80%", "Deploy: 100%"], ["Qualify"]),
        (("which stages is the CSU accountable for", "exit criteria of the later one?"), ["Completed opportunity"], []),
        (
            ("what does the AE do in MAP", "and the ATS there?", "and the third role in that stage"),
            ["CSAM", "business outcomes"],
            [],
        ),
        # a part asked as a list item or its own sentence is named when the documents lack it
        (("for close - probability, max discount i can offer, and the checkpoint?",), ["discount", "80%"], []),
        (("commission at close? n the close objective",), ["commission", "negotiations"], []),
        # a person asked for, where the documents describe only the role
        (("who is fabrikams ats n wat does ats do",), ["don't say who the ATS is", "innovation strategy"], []),
        (
            ("Under MODERNIZE, what does the CSA do, and who's the named CSA we should loop in for Fabrikam?",),
            ["don't say who the CSA is", "technical implementation"],
            [],
        ),
        (("who is the csam",), ["Customer Success Account Manager"], ["don't say who"]),
        # a count is not what a line is about
        (("all 5 exit criteria, one line each",), ["Qualified pipeline", "Completed opportunity"], []),
        (("what are the 3 units again",), ["ATU", "STU", "CSU"], []),
        # a filter over lines of every stage, with the list's own words around it
        (
            ("all the checkpoints that mention partners, grouped by stage",),
            ["Feedback loop established with partner", "determined with partners"],
            ["Campaigns executed", "Sponsor agrees to explore", "grouped"],
        ),
        # the same filter asked of another stage
        (
            ("list the checkpoints in deploy", "which of those mention partners", "same for support?"),
            ["Feedback loop established with partner"],
            ["determined with partners"],
        ),
        # a role picked from a list, asked of a role assignment
        (
            ("who owns realize value", "which roles are in that unit", "what does the 2nd of those do in MODERNIZE"),
            ["technical implementation"],
            ["transformation vision"],
        ),
        # two look-ups in a row make a pair
        (
            ("who creates the customer success plan", "and who maintains its status?", "which unit are both in"),
            ["CSAM", "CSA", "CSU"],
            ["STU", "ATU"],
        ),
        # the same question of the other document; a stage matched by its place
        (("how many stages mcem has?", "and for the other doc?"), ["9 sales-cycle stages"], []),
        (("stage 3 of mcem", "and for the other doc?"), ["Qualify is stage 3", "line up"], ["Empower"]),
        (
            ("first stage in mssp + its objective", "and for the other doc?"),
            ["Listen & Consult", "doesn't give its stages sales stage objective"],
            [],
        ),
        # an MSSP aspect asked of the MCEM stage the conversation is about
        (
            ("what comes after empower and achieve", "what's its probability then?"),
            ["doesn't give its stages probability", "Realize Value"],
            ["%"],
        ),
        # two positions, each half with its own words
        (("4th stage in mcem and 4th in mssp",), ["Realize Value", "Develop"], []),
        (("first vs last mcem stage exit crit",), ["Qualified pipeline", "Completed opportunity"], []),
        (("in MODERNIZE who's first and who's last",), ["ATS", "CSAM"], []),
        (("exit criteria of mcem stage 6 and of stage 1",), ["no stage 6", "Qualified pipeline"], []),
        (
            ("probability of the 2nd mcem stage, and of the 2nd mssp stage",),
            ["doesn't give its stages a probability", "Prospect is 0%"],
            [],
        ),
        # yes/no: "confirm that ...", a three-word claim with a tag, the claim of the clause that asks
        (("Please confirm that the SE belongs to the Solution Team Unit.",), ["Yes, the SE is in the STU"], []),
        (("deploy 80% rite",), ["No, the probability at Deploy is 100%"], []),
        (
            (
                "Before my 1:1 with Bea on the Fabrikam deal - is 'Pre-proposal/ SOW review conducted' a Solution "
                "stage checkpoint?",
            ),
            ["No, ", "checkpoint of Proof"],
            ["Yes"],
        ),
        (
            ("the guide lists 'Roles: AE, ATS' for the ATU - does the ATU also have the CSAM?",),
            ["No, the CSAM is in the CSU"],
            ["Yes"],
        ),
        # the role's own line before a line elsewhere that shares a word; another role's line wins a tie
        (("does the ATS partner with the AE",), ["Yes, ", "Partner with AE"], []),
        (("does the CSA create the customer success plan?",), ["No, ", "CSAM"], []),
        # the stage named outside the line is the one claimed
        (("is preliminary solution agreed upon the proof VO",), ["No, ", "verifiable outcome of Solution"], []),
        (("deploy = 100%?",), ["Yes, the probability at Deploy is 100%"], []),
        (("is the AE's mcem focus every stage?",), ["Yes, "], []),
        # a round number said of a stage is its probability
        (("which stg is 60", "its vo?", "n the stage after that, prob?"), ["Close is 80%"], []),
        # positions among lines just listed, picked, or named by a bare number
        (("ATS responsibilities", "the third one?"), ["tech landscape"], []),
        (("sub steps of execute eval plan in solution", "the 4th of those?"), ["SOW for proof of concept"], []),
        (("support key steps", "2nd and 3rd?", "4th?"), ["Monitor support plan progress"], ["Develop"]),
        (("dg key steps", "the 4th?", "and 7?"), ["meet business rules"], []),
        # a seller's verb after a modal is no filter
        (("Lucas is about to start Qualify. What are the key steps he should run?",), ["qualification v-team"], []),
        (("what is the difference between the Prospect and Qualify stages in probability",), ["0%", "10%"], []),
        (("qualfy checkpoints pls",), ["Sponsor has buying vision"], ["Which MSSP stage"]),
        # what a document does not give, asked of what it has
        (("which mssp stage is realize value in",), ["don't say how the MSSP stages line up"], []),
        (("ce key responsibilities",), ["doesn't list key responsibilities for the CE"], []),
        (("exit criteria of compete",), ["doesn't give COMPETE exit criteria"], []),
        (("role no. 2 in the role definitions and its focus",), ["Account Executive"], []),
        # the how-they-work-together table walked row by row
        (
            ("how they work together table - whats the first row", "and the last row?", "and the one before?"),
            ["Row 3 of 4", "CSA"],
            [],
        ),
        (("2nd row of how-they-work-together", "its unit?"), ["SSP", "STU"], []),
        # a quoted line found word for word, of the field named
        (("where is 'eval plan completed' a checkpoint",), ["checkpoint of Proof"], ["Develop eval plan"]),
        (("qualify readiness check for fabrikam",), ["Checkpoint 1 of 4", "Pain admitted by sponsor"], []),
        # a stage position with no document named
        (("6th stage?",), ["Proof is stage 6"], []),
        (("3rd stage?",), ["Empower & Achieve", "Qualify"], []),
        (("the 4th stage and its owner",), ["Realize Value", "CSU"], []),
        # the same question of two things, the second borrowing the first's words
        (("exit criteria for empower & achieve, and for mcem stage 6",), ["no stage 6", "Committed pipeline"], []),
        (("csam's role in MAP and in the close stage",), ["business outcomes", "doesn't say what the CSAM does"], []),
        (("ssp in compete and ssp in map?",), ["competitive intelligence", "doesn't name the SSP in MAP"], []),
        (
            ("brand new acount in my patch, nothing qualified yet. which mcem stage and unit",),
            ["you are in Listen & Consult", "ATU"],
            [],
        ),
        (("customer signed, whats next",), ["Signed documents", "Deploy"], []),
        (("my opty is at 10%, what has to be in place before i move it up",), ["you are in Qualify"], []),
        (("max discount i can give in close, and the close %",), ["discount", "80%"], []),
        (("are the commercial execs the ones driving deal strategy",), ["Yes, ", "deal strategy"], []),
        (("is transition support ownership a deploy step",), ["No, ", "key step of Support"], []),
        (("qualify vo needs both letter and assessment right?",), ["No, ", "it says \u201cor\u201d"], []),
        (("ssp works with the AE in later deal stages?",), ["No, ", "early stages"], []),
        (("csam identifies expansion opps too?",), ["Yes, ", "expansion opportunities"], []),
        (
            ("csa vs csam in the how they work together table",),
            ["Delivers technical outcomes", "long-term success"],
            [],
        ),
        (("which two roles define account and technology strategy together",), ["AE", "ATS"], []),
        (("all sub-steps in proof",), ["proof of concept", "Build proposal"], []),
        (("can we walk the qualfy checkpoints",), ["Checkpoint 1 of 4"], ["Sponsor has buying vision"]),
        (("which of map/compete/expand/modernize covers cloud migration",), ["MODERNIZE"], ["EXPAND role"]),
        (("modernize, who does what",), ["cloud architecture", "transformation vision"], []),
        (("qualify v-team vs develop v-team",), ["qualification v-team", "opty v-team"], []),
        (
            ("what gets transitioned in deploy vs support",),
            ["Transition deployment ownership", "Transition support"],
            [],
        ),
        (("L&C vs M&O: exit + unit",), ["Qualified pipeline", "ATU", "CSU"], []),
        (("outcomes met, baseline metrics in. mcem next + who",), ["next comes Manage & Optimize", "CSU"], []),
        (("sponsor agrees to explore, no access to power yet. stage?",), ["you are in Qualify"], []),
        (("stage between proof and deploy + its vo",), ["Signed documents"], []),
        (("which checkpoints mention partners or services",), ["partners or services", "Feedback loop"], []),
        (("min deal size to meet sales criteria? which stage",), ["min deal size", "Prospect"], []),
        (("whats an MQP",), ["Marketing Qualified Prospect"], []),
        (("what does CE stand for",), ["Commercial Executive", "Commercial Executives (CE)"], []),
        (("committed pipeline - which mcem stage and unit",), ["Empower & Achieve", "STU"], []),
        (
            ("mcem stages pls", "owner of the 2nd?", "exit crit for it?"),
            ["Customer aligned to solution"],
            ["Qualified"],
        ),
        (("qualify step right after the qualification call",), ["Review list of potential partners"], []),
        (("prospect checkpoints for the tailspin opp",), ["sales criteria to pursue"], []),
        (("ATU owns which stage", "roles in it?", "exit crit?"), ["Qualified pipeline"], ["Committed pipeline"]),
        (("signed the deal yday, mssp stage now + key steps",), ["Signed documents", "Deploy"], []),
        (("in qualify, list the key steps that come after setting up the v-team",), ["Complete opty assessment"], []),
        (("adoption is going well and we want to upsell, who shoud be involved",), ["EXPAND", "CSAM"], []),
        (
            ("brand new account, need stakeholders mapped and technical discovery done. who does what",),
            ["MAP", "technical discovery"],
            [],
        ),
        (
            (
                "somebody needs to keep the CSP status current and track risks and issues in a RAID log on my "
                "account - which role is that",
            ),
            ["CSA"],
            ["MAP involves"],
        ),
        (("which stages have us update siebel",), ["Demand Generation", "Close", "Deploy"], []),
        (("is deploy probablity NA",), ["No, the probability at Deploy is 100%"], []),
        (("what does the csa do durng modernize",), ["technical implementation"], []),
        (
            ("contract finalised incl deployment SOW and support plan. which stage next + its probability",),
            ["checkpoint of Close"],
            ["you are in Support"],
        ),
        (("is the csam part of modernize?",), ["Yes, in MODERNIZE, the CSAM"], []),
        (("does the ssp appear in map, compete and expand",), ["No, the guide does not list the SSP in MAP"], []),
        (("does the ae appear in map, compete and expand",), ["Yes, in MAP"], ["No, "]),
        (("who's in MODERNIZE", "and the CSAM's part?"), ["transformation vision"], []),
        (("who does technical discovery in MAP", "and the AE there?", "csam?"), ["business outcomes"], []),
        (("ATS focus?", "who do they partner with"), ["Partner with AE"], ["Review list of potential partners"]),
        (("unit names in full pls",), ["Account Team Unit", "Customer Success Unit"], []),
        # found in review: several stages after a filtered list, a comma list of role assignments, people
        (
            ("deploy checkpoints", "which of those mention partners", "same for support and close?"),
            ["Feedback loop established with partner", "Contract, deployment SOW"],
            [],
        ),
        (
            ("deploy key steps", "which of those mention siebel", "same for support?", "same for close?"),
            ["revenue in MS Sales and Siebel"],
            ["None of Support"],
        ),
        (("does the ae appear in map, compete, expand and modernize",), ["No, ", "MODERNIZE"], ["Yes"]),
        (("is the ats in map, compete, expand and modernize?",), ["No, ", "EXPAND"], ["Yes"]),
        (("who supports my ae",), [], ["don't say who the AE is"]),
        (("99th nested step in the solution stage",), ["no sub-step 99"], []),
        (("1st checkpoint of qualify and the 2nd of develop",), ["Checkpoint 1 of 4 in Qualify", "Develop"], []),
        (("probability of Deploy", "and the other doc?"), ["line up", "only 5 stages"], []),
        (("which stages are CSU's",), ["Realize Value", "Manage & Optimize"], ["Inspire"]),
        (("stage after develop?", "and two after that?"), ["Close is stage 7"], ["comes after Close"]),
        (("who's involved in MODERNIZE", "what does the SSP do there", "the ATS?"), ["cloud architecture"], []),
        (
            ("preliminary solution agreed, about to run the POC. stage and %?",),
            ["Solution"],
            ["no \u201cPoc\u201d stage"],
        ),
        # which stage a line belongs to, asked after the line: where it lives, not where the deal goes next
        (
            ("customer's given us a verbal yes. which stage is that the verifiable outcome for",),
            ["Proof", "60%"],
            ["80%"],
        ),
        (
            (
                "at what point should we have negotiated getting in front of the power person - not met them yet, "
                "just got it agreed? which mssp stage",
            ),
            ["Qualify", "Access to power negotiated"],
            ["you are in Develop"],
        ),
        # "the other one": the one member of a group the conversation has not named yet
        (("what does CSU stand for", "and ATU?", "the other one?"), ["Solution Team Unit"], []),
        (("whats the SSP's focus", "the other STU role?"), ["technical win"], []),
        (
            ("CSAM responsibilities?", "and their unit?", "what does the other role in that unit focus on"),
            ["Technical delivery and consumption"],
            ["Orchestrates customer success"],
        ),
        # "list them" after a count; "how many roles in mcem" counts roles
        (("how many key steps in close", "list them"), ["Develop final contracts", "secure signature"], []),
        (("how many checkpoints in develop", "what are they"), ["Access to power", "Eval plan proposed"], []),
        (("how many roles in mcem",), ["Account Executive", "Cloud Solution Architect"], ["MCEM has 5 stages"]),
        # a stages table's rows are its stages
        (("3rd row in the mcem stages & exit criteria table",), ["Empower & Achieve", "Committed pipeline"], []),
        (("what's the 2nd row of the mcem stages table", "and the next row?"), ["Empower & Achieve"], []),
        # a line quoted whole, across its commas and around a glossary term
        (("which stage finalises the contract, deployment SOW and support plan",), ["Close"], ["Statement of work"]),
        (("where do contract, deployment sow + support plan get finalized",), ["Close"], []),
        (("what sits under finalize eval plan commitments",), ["Proof", "Build proposal"], []),
        (("which stages have key steps that mention the v-team, want to plan my calendar",), ["Qualify", "Deploy"], []),
        # a situation, then "stage + prob"; an exit criterion named as a goal
        (("just did the lead qualification call w/ the sponsor. stage + prob",), ["Qualify", "10%"], ["20%"]),
        (("new account, need qualified pipeline. which mcem stage + unit",), ["Listen & Consult", "ATU"], []),
        (
            ("products are deployed at northwind, now need to sort out the support plan. which stage is this",),
            ["Support"],
            [],
        ),
        # yes/no: a question that opens "do we" is no request for a check; the named field's own line first
        (("do we review the support plan with power in deploy",), ["No, ", "Support"], ["Checkpoint 1 of"]),
        (("is completed opportunity the exit criteria for manage & optimize",), ["Yes, "], ["No, "]),
        (("is 'access to power negotiated' a develop checkpoint",), ["No, ", "Qualify"], []),
        # a stage's possessive typed without its apostrophe; a cue word inside the line said
        (("supportability review completed is supports vo right",), ["Yes, "], ["exit criteria"]),
        (("deploy key steps", "and supports?"), ["Transition support ownership"], []),
        (("closes checkpoints",), ["Contract, deployment SOW"], []),
        # two asks joined by "+", " / ", ", also": the second read as a follow-up to the first
        (("list the ats responsibilities / and its unit",), ["technical roadmaps", "ATU"], []),
        (("who owns the customer success plan + which unit",), ["CSAM", "CSU"], []),
        (("demand gen key steps + the objective",), ["Size the revenue opty", "Generate awareness"], []),
        (("what does mcaps mean / how many mcem stages",), ["Microsoft Customer and Partner Solutions", "5"], []),
        (("Kindly tell me the stage which comes just before Develop in MSSP, and its probability.",), ["10%"], []),
        (("checkpoints in close, also the legal review turnaround time",), ["“legal”, “turnaround”"], []),
        (("what does the how they work together table say about AE + ATS", "and the CSA row?"), ["consumption"], []),
        (("which checkpoints actually mention the sponsor? all of them pls",), ["Sponsor agrees to explore"], []),
        (("which checkpoints mention the sponsor?", "list them"), [], []),
        # the stage a line describes; a position among the stages with such a line
        (("which unit owns the stage where outcomes get met",), ["CSU", "Realize Value"], ["STU"]),
        (("first mssp stage with a checkpoint about power",), ["Qualify", "Access to power negotiated"], []),
        (("last stage whose key steps mention siebel",), ["Deploy"], []),
        # a job title with a unit in it; "checkpoints check" starts the check
        (("who's the ATU manager in emea? and what roles r in ATU",), ["AE", "ATS"], ["CSAM"]),
        (("suport checkpoints check pls",), ["Checkpoint 1 of 3"], []),
        (("poc running + building the proposal w partners, which stage is this",), ["Proof"], ["Demand Generation"]),
        # "how long" asked in a clause of its own; a term's meaning claimed; the neighbour's aspect, short
        (("exit criteria of empower & achieve, and how long should it take in weeks",), ["how long"], []),
        (("40% stage, and how many weeks should it take",), ["Solution", "how long"], []),
        (("is MCAPS microsoft customer and partner solutions",), ["Yes, "], []),
        (("is MCAPS the same as MCEM",), ["No, "], []),
        (("is the eval plan agreed in develop",), ["Yes, ", "Develop"], []),
        (("whats the prob for qualify", "next stage's %"), ["20%"], []),
        (("our partner opty is in close, verifiable outcome of it?", "what's its probability then?"), ["80%"], []),
        (("who does technical discovery in MAP", "and in modernize?"), ["cloud architecture"], []),
        # a title the guide lacks, beside a role; two roles' rows of the table; a part asked apart
        (("what does the Delivery Manager do, and the AE",), ["doesn't name a \u201cdelivery manager\u201d role"], []),
        (("does the ae and ssp work together",), ["AE + ATS", "SSP: Executes"], []),
        (("commission % at close, and close probability",), ["commission", "80%"], []),
        (("renewal process after support? last support checkpoint",), ["renewal", "Conditions of satisfaction"], []),
        (("whats after manage & optimize, who owns m&o",), ["no stage after", "CSU"], []),
        (("In the MSSP table, which probability has the Solution stage?",), ["40%"], ["60%"]),
        (("is there a partner manager role in mcem? who's in stu",), ["partner manager", "SSP"], ["CSU"]),
        (("we're at 40%, what should be true by now + whats next",), ["Eval plan underway", "Proof"], []),
        # who does a line: the roles of the line quoted; a role's line found with its other words
        (("who creates the CSP",), ["The CSAM (Customer Success Account Manager): \u201cCreate"], ["and the CSA"]),
        (("which role engages the executive sponsors post-sale",), ["CSAM"], ["Account Executive"]),
        # situations: "what's missing for this stage" stays; "what % am i at"; a line's place with a verb
        (
            (
                "new prospects captured in the system and deployment readiness re-assessed - "
                "what's missing for this stage",
            ),
            ["Customer deployment conditions"],
            ["Conditions of satisfaction reviewed with customer"],
        ),
        (("sponsor admitted the pain and there's a compelling event. what % am i at",), ["Qualify", "10%"], ["20%"]),
        (("we identified the potential sponsor. whats next and what's the %",), ["Qualify", "10%"], ["20%"]),
        (("qualification v-team (incl services) - what stage is that set up in",), ["Qualify"], ["Develop"]),
        # follow-ups: another filter word; exit criteria of an MSSP stage; one value each, asked in the plural
        (("develop key steps", "which of those involve partners", "and power"), ["Propose eval plan to power"], []),
        (("stage at 80%?", "exit crit?"), ["doesn't give its stages exit criteria", "Signed documents"], []),
        (("which stage has 'eval plan underway'", "and 'eval plan completed'?"), ["Proof"], []),
        (("whats the deploy objective", "and support", "probabilities?"), ["100%", "NA"], []),
        (("develop verifiable outcome?", "and the key step where it goes to power"), ["Propose eval plan"], ["Issue"]),
        # one stage's lines filtered; positions among the things the message lists; roles by their MCEM focus
        (("develop key steps that involve partners",), ["Evaluate and select opty partners"], ["procedural buying"]),
        (("the second of MAP/COMPETE/EXPAND/MODERNIZE and its roles",), ["COMPETE", "SSP"], ["CSAM"]),
        (("which roles have 'all stages' as mcem focus",), ["AE", "CSAM"], ["SSP (Solution"]),
        (("SE and CSA in MODERNIZE - what do they do",), ["doesn't name the SE", "technical implementation"], []),
        (("csam in MAP vs csam in MODERNIZE",), ["success criteria", "change management"], ["technical discovery"]),
        (("first key step in support", "which stage has the deployment one"), ["Deploy"], ["appears in 3 stages"]),
        # two lines set side by side; yes/no about a place, a role's task in a named assignment, a count
        (
            ("pain admitted by sponsor vs pain admitted by power - which stage each",),
            ["checkpoint of Qualify", "checkpoint of Develop"],
            [],
        ),
        (("review proposal/sow with power vs with services signature authority - which stages",), ["Proof"], ["Close"]),
        (("eval plan proposed vs eval plan agreed, same stage or not?",), ["Develop"], []),
        (("is MODERNIZE where the ATS designs the migration strategy",), ["Yes, "], []),
        (("is MAP where the ATS designs the migration strategy",), ["No, ", "MODERNIZE"], ["Yes, "]),
        (("does the ats design the migration strategy in map",), ["No, "], ["Yes, "]),
        (("does the csam identify success criteria in map",), ["Yes, "], ["exit criteria"]),
        (("ats mcem focus = map, compete, modernize?",), ["Yes, "], []),
        (("mcem has 9 stages like mssp doesnt it",), ["No, ", "5 stages"], []),
        (("eval plan is underway with the partner, what % are we in mssp",), ["Solution", "40%"], []),
        # terse: a line said bare asks where it lives; a claim with no verb; a check asked tersely
        (("pre-call research?",), ["Prospect"], []),
        (("give/get worksheets?",), ["Close"], []),
        (("sponsor letter -> stage?",), ["Qualify"], []),
        (("overall win strategy?",), ["AE"], []),
        (("'verbal approval received' stage?",), ["Proof"], ["no \u201cverbal approval received\u201d stage"]),
        (("sow?",), ["Statement of work"], []),
        (("SQP meaning?",), ["Sales Qualified"], []),
        (("close 100%?",), ["No, ", "80%"], []),
        (("qualify 20%??",), ["No, ", "10%"], ["Checkpoint 1 of"]),
        (("L&C -> CSU?",), ["No, ", "ATU"], []),
        (("SSP focus compete + expand?",), ["Yes, "], []),
        (("qulaify chekpoints run thru",), ["Checkpoint 1 of 4"], []),
        (("deploy chkpts 1 by 1",), ["Checkpoint 1 of 3"], []),
        (("who owns listen & consult", "exit?"), ["Qualified pipeline"], ["no check open"]),
        (("quick one b4 my call: proof %?",), ["60%"], ["40%"]),
        # wrong-fact traps: a loose line for a role; the counted thing; "look after"; "should proof last"
        (("which role handles billing disputes for the customer",), ["billing"], ["CSAM"]),
        (("which is the third of the mcem stage role assignments",), ["EXPAND"], ["cloud migration"]),
        (("does the ATU look after listen & consult",), ["Yes, "], ["Inspire & Design"]),
        (("how many days should proof last, and whats the verifiable outcome",), ["Verbal approval"], ["Signed"]),
        (("is there a renewal stage after support? what's support's outcome",), ["No, "], []),
        (("whats the typical cycle length at 60% and what stage is that",), ["how long", "Proof"], ["40%"]),
        (("how long from qualify to close typically, and what are close's checkpoints",), ["how long"], []),
        # a list "in order"; a range of stages with no aspect; a handover; the next stage's objective
        (("list all the mcem exit criteria in order",), ["Qualified pipeline", "Completed opportunity"], []),
        (("list the stages from develop to close",), ["Develop", "Solution", "Proof", "Close"], ["Qualify ("]),
        (("we've just got qualified pipeline on woodgrove, who picks it up",), ["STU", "Inspire & Design"], []),
        (("i'm the AE, listen & consult is done. who do i hand over to",), ["STU"], []),
        (("signed docs are back from contoso, whats the next stage and its objective",), ["Finalize deployment"], []),
        # questions that start no check; the other document's stage at that place; "list them" after a count
        (
            ("quick check - is 'access to power negotiated' a develop checkpoint",),
            ["No, ", "Qualify"],
            ["Checkpoint 1"],
        ),
        (("do commercial execs drive deal execution",), ["Yes, "], ["Which MSSP stage"]),
        (("when do we check 'pain admitted by sponsor or compelling event identified'",), ["Qualify"], ["Which MSSP"]),
        (("first stage in mssp?", "and in mcem?", "who owns that one"), ["ATU"], []),
        (("what does mcem stand for", "how many stages", "list them"), ["Listen & Consult", "Manage & Optimize"], []),
        # walking from the line a look-up or a filter found; a new account; terse claims and abbreviations
        (
            ("which stage has 'ask for business' as a checkpoint", "what's the checkpoint right before it"),
            ["Pre-proposal"],
            [],
        ),
        (
            (
                "objective of develop stage?",
                "and the key step where power agrees?",
                "what's the step right after that one",
            ),
            ["Identify procedural buying process"],
            [],
        ),
        (
            ("brand new account in my patch, no engagement yet. which mcem stage are we in and which unit leads",),
            ["ATU"],
            [],
        ),
        (("customer verbally approved!! what stage do we move into now",), ["Close"], ["Demand Generation"]),
        (("in plain words what does the CSA do", "and what about in EXPAND specifically"), ["consumption-based"], []),
        (("deploy 100?",), ["Yes, "], []),
        (("develop 40?",), ["No, ", "20%"], []),
        (("5 mcem stgs?",), ["Yes, "], []),
        (("ask for biz in close?",), ["No, ", "Proof"], []),
        (("ae = quarterback?",), ["Yes, "], []),
        (("raid logs = csam?",), ["No, ", "CSA's"], []),
        (("mcem stage 3 + stage 8?",), ["no stage 8"], []),
        (("cloud arch + migration who",), ["ATS"], ["CSAM"]),
        # half a stage's checkpoints is not most of them; a unit found by its line, then "they"; "next", short
        (
            ("sponsor admitted the pain and has a buying vision, which stage am i in",),
            ["you are in Qualify"],
            ["reached Qualify's verifiable outcome"],
        ),
        (
            (
                "which unit is accountable for strategic planning & execution for accounts",
                "which mcem stage do they own",
            ),
            ["Listen & Consult"],
            [],
        ),
        (("verifiable outcome for qualify?", "ok whats the next stage's outcome"), ["plan agreed"], []),
        # from the review: groups said in full; claims about "the stage where ..."; positions are no percentages
        (("does ce stand for commercial executives",), ["Yes, "], []),
        (("CE = customer engineer?",), ["No, "], []),
        (("is close the stage where we ask for business?",), ["No, ", "Proof"], []),
        (("who owns the stage that has completed opportunity as exit",), ["CSU"], ["Qualify"]),
        (("close 7?",), ["stage 7"], ["not 7%"]),
        (("no contact yet with the customer, which stage in mssp?",), ["Demand Generation"], ["Develop"]),
        (("first stage that mentions sow",), ["Solution"], []),
        (("how many exit criteria in mcem",), ["Qualified pipeline", "Completed opportunity"], []),
        (("update siebel stage?",), ["It is also in Deploy"], []),
        (("how many stages", "list them"), ["Listen & Consult", "Demand Generation"], []),
        (("how many key steps in develop", "list them"), ["Propose eval plan to power"], []),
        (("quick check - who owns close?",), ["doesn't say who owns Close"], ["Checkpoint 1 of"]),
        # several aspects of one stage, each answered; parts asked again of the next one named
        (("qualify objective and key steps",), ["Qualify lead", "Establish qualification v-team"], []),
        (("3rd checkpoint in proof + proof %",), ["Ask for business", "60%"], []),
        (("stage right before close: its % and its last checkpoint",), ["60%", "decision due"], []),
        (("which unit owns I&D and its exit criteria",), ["STU", "Customer aligned to solution"], []),
        (("the Develop steps say 'Determine resource requirements' - which checkpoint is last",), [], ["13 key steps"]),
        (
            ("exit criteria for listen & consult and who owns it", "ok same for inspire & design"),
            ["STU", "Customer aligned"],
            [],
        ),
        (
            ("what does the ATS do in MAP and in COMPETE", "and the AE in those two?"),
            ["relationship mapping", "overall win strategy"],
            [],
        ),
        (
            ("support stage objective and key steps", "ok same for deploy"),
            ["Finalize deployment plan", "Transition deployment ownership"],
            [],
        ),
        (("support stage objective and key steps", "what is deploy"), ["stage 8 of the 9"], []),
        # two asks joined by a bare "and"
        (
            ("first key step in develop and the last checkpoint in develop",),
            ["opty ownership", "Eval plan proposed"],
            [],
        ),
        (("which unit owns listen & consult and what else is it accountable for",), ["Strategic planning"], []),
        (("3rd stage and its verifiable outcome",), ["Qualify", "Sponsor letter"], []),
        (
            ("deal is at 80% and the contract is nearly done, what verifiable outcome do i need",),
            ["Signed documents"],
            ["I don't know"],
        ),
        (
            ("which unit owns inspire & design and how many people are usually in it",),
            ["STU", "don't give a number of people"],
            [],
        ),
        (("which unit owns listen & consult", "what else is it accountable for"), ["Strategic planning"], []),
        # progress told, then a yes/no on the stage the seller thinks comes next
        (("We signed. Is Deploy next?",), ["Yes. ", "Deploy"], ["No, "]),
        (("verbal approval received - is close next?",), ["Yes. "], []),
        (("signed docs in, is support next?",), ["No. ", "next comes Deploy"], []),
        (("we have qualified pipeline, is inspire & design next?",), ["Yes. "], []),
        (("Close is 100%, is Deploy next?",), ["No, the probability at Close is 80%"], []),
        # before moving to a stage: the exit of the one before it, everyday names and "needed" too
        (("what do we need before moving to proof",), ["Eval plan underway"], []),
        (("what is required before moving to close",), ["Ask for business"], []),
        (("we're going to close next week, what now",), [], ["Ask for business"]),
        # a unit's roles in a role assignment
        (
            ("I'm a CSA. what does my unit do in MODERNIZE?",),
            ["CSU", "Drive technical implementation"],
            ["Position modern workload"],
        ),
        (("what does the STU do in MAP",), ["names no STU role in MAP"], []),
        # a count kept from the start, for the other document
        (("first mcem stage", "what about mssp"), ["Demand Generation"], ["a sales cycle of 9 stages"]),
        (("list the mssp stages from 10% to 60%", "the lowest of those, chkpts?"), ["Pain admitted by sponsor"], []),
        # who, asked at the end ("done by?"), or of a quoted word; a group named in full
        (("technical discovery in MAP is done by?",), ["ATS", "Conduct technical discovery"], ["CSAM", "Yes"]),
        (("my manager keeps calling someone the 'quarterback' - which role is that?",), ["AE"], ["CSAM"]),
        (("which role drives deal execution",), ["Commercial Executives"], []),
        (("what's included in 'finalize eval plan commitments' for proof",), ["proof of concept"], ["Glossary"]),
        # each role of a unit, with one of its lines
        (("each ATU role with its focus",), ["account strategy", "technology and innovation strategy"], ["CSAM"]),
        (("every role in STU with its focus",), ["solution-specific sales motions", "technical win"], []),
        (("each role in the ATU and CSU with its mcem focus",), ["All stages", "post-sale"], ["SSP"]),
        # a neighbour of a stage named by its percentage, or of the one in context, and what is asked of it
        (("the stage after the 80% one, key steps?",), ["post-close follow-up"], []),
        (("stage one before the 100% one and its checkpoint",), ["deployment SOW and support plan"], []),
        (("everything after close in mssp",), ["Deploy", "Support"], []),
        (("after close whats the prob",), ["100%"], ["80%"]),
        (("close probability", "and after that stage whats the prob"), ["Deploy", "100%"], []),
        # a run of stages shown side by side, then the next run
        (("first 3 mssp stages and their %", "the next 3"), ["Develop: 20%", "Proof: 60%"], ["Close"]),
        (("first 3 mssp stages and their %", "the next 3", "and the rest"), ["Close: 80%", "Support"], []),
        (("last 2 mssp stages with probability", "the next 2"), ["no stage comes after Support"], []),
        (("csa responsibilities + unit", "and the csam's"), ["Customer Success Plan", "CSU"], ["RAID"]),
        (
            ("2nd mssp stage - objective and both checkpoints",),
            ["Validate potential opportunity", "assigned territory"],
            [],
        ),
        (
            ("4th checkpoint of develop, and what stage comes after develop",),
            ["engagement expectations", "Solution"],
            [],
        ),
        (
            ("first checkpoint in prospect and the mssp stage before prospect",),
            ["assigned territory", "Demand Generation"],
            [],
        ),
        (
            ("third mcem stage's exit criteria and the unit that owns the stage right after it",),
            ["Committed pipeline", "CSU"],
            [],
        ),
        (("which partner should i pick for deploy and what's the deploy VO",), ["Deployed products", "don't say"], []),
        (
            ("the roles are numbered 1-5 under 'Role Definitions' - which is number 3 and what's its focus?",),
            ["ATS", "innovation strategy"],
            [],
        ),
        (("after support what's the next mssp stage? and what's support's objective",), ["Finalize support plan"], []),
        # every one of a kind but those left out
        (
            ("list the stage role assignments excluding MAP",),
            ["COMPETE", "EXPAND", "MODERNIZE"],
            ["relationship mapping"],
        ),
        (
            ("mcem exit criteria excluding the CSU stages",),
            ["Qualified pipeline", "Committed pipeline"],
            ["Outcomes met"],
        ),
        (
            ("exit criteria for each mcem stage the STU doesn't own",),
            ["Qualified pipeline", "Completed opportunity"],
            ["Customer aligned"],
        ),
        (
            ("all mssp stages except support and demand generation, with probability",),
            ["Prospect: 0%", "Deploy: 100%"],
            ["Support", "anything about"],
        ),
        # lines with a word, in MCEM fields too; stages by how many lines they have
        (
            ("mcem stages with 'pipeline' in the exit criteria",),
            ["Listen & Consult", "Empower & Achieve"],
            ["Inspire & Design"],
        ),
        (("stages with 4 or more checkpoints",), ["at least 4", "Qualify, Develop and Proof"], []),
        (("which stages have more than 3 checkpoints",), ["more than 3", "Qualify, Develop and Proof"], ["Close"]),
        (("stages between 10 and 40% inclusive, with their %",), ["Qualify: 10%", "Solution: 40%"], ["Proof"]),
        (("roles in the CSU + their focus",), ["Orchestrates customer success", "Technical delivery"], []),
        (("how many mssp stages are there altogether",), ["9"], ["not sure"]),
        # a half that asks about what no line has, joined by "and"
        (("csa mcem focus and whats their utilization target",), ["don't say anything about", "Modernize"], []),
        # follow-ups: a word swapped in the line just found; a number said "at"; the unit's other role
        (
            ("what stage do we propose the eval plan to power", "and where does it get underway", "and completed?"),
            ["Proof", "Eval plan completed"],
            ["Manage & Optimize"],
        ),
        (("which mssp stage is at 10%", "and 20%", "and the one at 0"), ["Prospect"], []),
        (("whats prob for prospect", "qualify?"), ["10%"], ["Which MSSP stage should I check"]),
        (("what does the SSP do", "its unit?", "and the other role in that unit"), ["technical win"], []),
        (
            ("what's the SSP's focus", "and which unit", "who else is in that unit and what do they do"),
            ["SE", "technical win"],
            [],
        ),
        (("how they work together table - what's AE + ATS", "and the CSA row?"), ["Delivers technical outcomes"], []),
        (("how they work together table - what's AE + ATS",), ["account and technology strategy"], []),
        # the next stage's aspect, asked of the stage in context
        (
            ("who owns L&C", "exit criteria?", "and the next stage's exit criteria?"),
            ["Customer aligned to solution"],
            ["Completed opportunity"],
        ),
        (
            ("who owns realize value", "and the previous stage's owner?"),
            ["Empower & Achieve", "STU"],
            ["Inspire & Design comes"],
        ),
        (("which stage ends with next steps identified",), ["Manage & Optimize"], []),
        (("7th stage's VO + the VO right after",), ["Signed documents", "Deployed products"], []),
        (("stage at 60% and the one 2 after it",), ["Proof", "Deploy"], []),
        # whether two share a unit: Yes or No first
        (("are listen & consult and inspire & design owned by the same unit",), ["No. ", "ATU", "STU"], []),
        (("ssp vs se, both in the same unit?",), ["Yes. ", "STU"], []),
        # from the review: exclusions keep what was left out out; order claims read "is X next"; no over-reach
        (("all mssp stages except close with their probability",), ["Proof: 60%", "Deploy: 100%"], ["Close"]),
        (("can we skip qualify",), [], ["side by side"]),
        (("the customer signed the contract, should we move to deploy?",), ["No. ", "you are in Close"], []),
        (
            ("who handles the relationship between the customer and the partner",),
            ["AE"],
            ["Review list of potential partners"],
        ),
        (("which stage has more than one checkpoint about power",), ["Develop"], ["Prospect"]),
        (("what must be done by the end of proof?",), ["Proof"], ["doesn't name who"]),
        (("which mssp stage is at 10%", "we are at 3 weeks"), [], ["probability of 3%"]),
        (("what does the AE do", "and the other unit's roles"), [], ["Owns the technology and innovation strategy"]),
        (("checkpoints for support", "and the next stage's checkpoints?"), ["no stage comes after it"], []),
        (("we are at proof, is close next?",), ["Yes, Close comes right after Proof"], []),
        (("after close is deploy next?",), ["Yes, "], []),
        (
            ("what does the ATS do in MAP and in COMPETE", "what does the AE do in MAP?"),
            ["relationship mapping"],
            ["overall win strategy"],
        ),
        (
            ("who's in the atu", "what's it accountable for apart from listen & consult"),
            ["Strategic planning"],
            ["Inspire & Design"],
        ),
        (("ssp and se - how do they work together",), ["no row for the SE", "solution-specific sales plays"], []),
        # inclusive bounds; chatter after the question; a neighbour claimed; a stage over once its outcome is said
        (("stages at or above 60%",), ["Proof", "Close", "Deploy"], ["Solution"]),
        (("which stages are at or below 10%",), ["Qualify", "Prospect"], ["Develop"]),
        (("every role and its unit pls, new hire and confused",), ["AE", "ATU", "CSAM", "CSU"], ["don't know"]),
        (("is there a stage after support",), ["No, Support is the last of the 9 MSSP stages"], []),
        (("is there anything after proof",), ["Yes, Close comes after Proof"], []),
        (("is there a stage before listen and consult in mcem",), ["No, Listen & Consult is the first"], []),
        (("contract signed and revenue in ms sales. whats left",), ["next comes Deploy"], []),
        # positions counted from a named stage, inside a unit or a role assignment, across a whole document
        (("first stage after demand gen and its %",), ["Prospect", "0%"], ["NA"]),
        (("2nd stage before close",), ["Solution"], []),
        (("2nd role listed in the STU and what it drives",), ["technical win"], []),
        (("whats the 2nd MODERNIZE role listed and their job there",), ["modern workload"], ["migration strategy"]),
        (("the 3rd role in the CSU",), ["no number 3", "CSAM", "CSA"], []),
        (("last verifiable outcome in mssp",), ["Supportability Review completed"], []),
        (("the first checkpoint in mssp",), ["Campaigns executed"], []),
        (("the 3rd checkpoint in mssp",), ["Opportunity meets sales criteria"], []),
        (("the last exit criteria in mcem",), ["Completed opportunity"], []),
        (("objectives of the first 3 mssp stages?",), ["Generate awareness", "Qualify lead"], ["Develop -"]),
        (("Which stage does the MCEM journey start with?",), ["Listen & Consult"], []),
        # a typed @handle addresses someone; where in one stage a word comes in
        (
            ("@StageCoach can you confirm that listen & consult exits on qualified pipeline?",),
            ["Yes, ", "Qualified pipeline"],
            [],
        ),
        (("where in qualify do partners come in",), ["Review list of potential partners"], ["Develop"]),
        (("where in qualify do partners come in", "and in prospect?"), ["strategic partners"], []),
        (("where does siebel show up in close",), ["revenue in MS Sales and Siebel"], []),
        # a pick before the question; idioms of "first"; claims opened with "as a ..."; neighbours with numbers
        (("the ATS's mcem focus?", "the last of those - what does the ATS do there"), ["cloud architecture"], []),
        (("first of all, what is the first mssp stage",), ["Demand Generation"], []),
        (("as a partner do we get feedback in deploy",), ["Yes, ", "Provide feedback to partners"], []),
        (("stage between qualify and solution",), ["Develop: stage 4 of 9, 20%"], []),
        (("deployment done, support ownership transitioned. what should i check now",), ["you are in Support"], []),
        (
            ("mssp has a negotiate stage between proof and close right? whats the close objective",),
            ["No, MSSP has no such stage", "Conduct negotiations"],
            [],
        ),
        (("ssp vs se, both STU right? what's the difference",), ["SSP and SE side by side"], []),
        (("proof key steps incl the sub bullets",), ["services signature authority", "Issue final proposal"], []),
        (
            ("who does the SSP collaborate with in the early stages of a deal",),
            ["technical specialists"],
            ["Executes solution-specific sales plays"],
        ),
        # progress told, then a question about the deal where it is now
        (
            ("got an opty that meets our sales criteria but no sponsor yet. what am i aiming for at this point",),
            ["you are in Prospect", "Potential Sponsor identified"],
            ["stands for"],
        ),
        (
            ("contract signed, revenue in MS Sales and Siebel. what's the objective of the stage we're moving into?",),
            ["next comes Deploy", "Finalize deployment plan"],
            [],
        ),
        (("deal sits at 80%, what do i need before it moves on",), ["you are in Close"], ["Proof comes before"]),
        (
            ("we got qualified pipeline out of listen & consult. whats the exit crit for the next stage",),
            ["next comes Inspire & Design", "business case"],
            [],
        ),
        (("dev probability",), ["20%"], []),
        (("contract signed, rev booked in ms sales. where to from here",), ["next comes Deploy"], []),
        # counts side by side; follow-ups over a stage, a unit, sub-steps
        (("how many checkpoints in develop vs proof",), ["Develop has 5 checkpoints; Proof has 4 checkpoints"], []),
        (("how many roles in each of MAP / COMPETE",), ["MAP names 3 roles; COMPETE names 3 roles"], []),
        (("who owns listen & consult", "same for the CSU - what does it own"), ["Realize Value"], ["ATU"]),
        (("which unit owns EXPAND", "what does the CSA do in it"), ["consumption-based expansion"], []),
        (("solution key steps", "the third sub-step?"), ["Build value proposition"], ["risk assessment"]),
        (
            ("who owns listen & consult", "what about the next two stages"),
            ["Inspire & Design", "Empower & Achieve"],
            [],
        ),
        (("first chkpt for deploy?", "the rest?"), ["readiness re-assessed"], ["Support plan"]),
        (("tell me about proof",), ["Proof is stage 6 of the 9"], ["proof of concept"]),
        (("tell me about develop",), ["Develop is stage 4 of the 9"], []),
        (("which stages have a v-team step in them",), ["Qualify", "Develop", "Deploy"], []),
        (("which mssp stages mention power (checkpoints or key steps)",), ["Proof", "Support"], []),
        (("which stages have the csa in them",), ["EXPAND and MODERNIZE role assignments"], []),
        (
            ("the 20% stage vs the 80% stage - objectives?",),
            ["Develop and Close side by side", "Conduct negotiations"],
            [],
        ),
        (("supportability review is completed, is that the end of the line?",), ["there is no stage after it"], []),
        (("who collaborates with the AE in the early stages of a deal",), ["SSP"], ["AE + ATS"]),
        (("in develop do we propose the eval plan to the sponsor?",), ["No, ", "it says “power”"], []),
        (("in develop do we propose the eval plan to power?",), ["Yes, "], []),
        # words of everyday English the lexicon reads as cues; document words that name the documents
        (("list everyone in expand",), ["AE", "SSP", "CSAM", "CSA"], []),
        (("give me the CE and SE descriptions",), ["deal strategy", "technical win"], []),
        (("kinda embarrassing but what does the AE + ATS combo do per the guide",), ["account and technology"], []),
        (("who looks after solution health",), ["CSA"], ["names no roles"]),
        (("name all the stages in both docs",), ["Listen & Consult", "Demand Generation"], ["Signed documents"]),
        # several asks, one of them not covered or about the other's subject
        (
            ("what does the ATS do in COMPETE and what's their job in the realize value stage",),
            ["technical differentiation", "doesn't say what the ATS does in Realize Value"],
            [],
        ),
        (("who owns mcem stage 6? and who owns stage 5 while ur at it",), ["no stage 6", "CSU"], ["ATU"]),
        (
            ("midway through inspire & design - what exit are we working towards and which unit should be driving",),
            ["business case", "owned by the STU"],
            ["three accountable units"],
        ),
        (("who signs off the give/get worksheets and which stage are they in",), ["Close"], ["60%"]),
        (("how much revenue needs to land before close counts? and what % is close",), ["80%"], ["Proof comes"]),
        (("proof checkpoints and the avg win rate after ask for business",), ["Ask for business", "“avg”"], []),
        (("who do we review the proposal/SOW with in proof",), ["services signature authority", "with power"], []),
        # lists: after a stage, the nth at a probability, which of the listed, their roles
        (("what verifiable outcomes come after close",), ["Deployed products", "Supportability Review"], []),
        (("first mssp stage that's at 100%",), ["Deploy"], ["Demand Generation"]),
        (
            ("what are the 4 stages in the stage role assignments bit", "which of them is about cloud migration"),
            ["MODERNIZE involves 4 roles"],
            [],
        ),
        (("how many accountable units are there in mcem", "name them + their roles"), ["ATU", "CSAM"], ["don't know"]),
        (
            ("SSP vs SE, both in the same unit right? what's the diff",),
            ["Yes. Both are in the STU", "technical win"],
            [],
        ),
        (
            ("eval plan completed and the pre-proposal review is done. what's left in this stage",),
            ["you are in Proof", "Ask for business"],
            ["Supportability"],
        ),
        (("deal committed and customer agreement signed - who takes over in mcem",), ["Realize Value", "CSU"], []),
        (
            ("sponsor admitted the pain, has a buying vision, agreed to explore. which checkpoint is still missing",),
            ["you are in Qualify", "Access to power negotiated"],
            [],
        ),
        (
            ("100% on this deal, deployment readiness re-assessed. what other checkpoints need ticking off?",),
            ["New prospects"],
            [],
        ),
        (
            ("develop checkpoints", "the 3rd of those", "same but for qualify"),
            ["Sponsor agrees to explore"],
            ["Access to power negotiated"],
        ),
        (("which mssp stages actually have a % (not NA)",), ["Prospect 0%", "Deploy 100%"], ["Demand Generation"]),
        (
            ("customer gave us a verbal yes after the poc. where am i and whats next",),
            ["Proof", "next comes Close"],
            [],
        ),
        # a line named by words that are also cue words ("verifiable outcome"), and "last ... before" it
        (("in develop, the key step right before confirm verifiable outcome",), ["Propose eval plan to power"], []),
        (("in develop, whats the last key step b4 the confirm verifiable outcome one",), ["Propose eval plan"], []),
        (("last key step in qualify before the siebel update",), ["Author and send sponsor letter"], []),
        # from the review: digits of other scripts; "is there a <line> after"; "before we close"; "@40%"; "dev"
        (("is proof ٦٠%?",), ["Yes, ", "60%"], []),
        (("is proof ፩ percent?",), ["Proof"], []),
        (("is there a checkpoint after ask for business in proof?",), [], ["Close comes after Proof"]),
        (("what comes after we qualify?",), ["Develop"], []),
        (("when we close what's the probability",), ["80%"], []),
        (("which stage is @40%",), ["Solution"], []),
        (("what does the dev team do in proof",), [], ["Develop is stage 4"]),
        (("who owns the second stage of the CSU",), ["Manage & Optimize"], []),
        (("we should check develop",), ["Let's check your opportunity against Develop"], []),
        (("ok. is that it for the role assignments?",), [], ["you are in"]),
        (("where in qualify does the sponsor letter come in",), ["2 lines mention"], ["Pain admitted by sponsor"]),
        (
            ("who maintains the CSP status and raid logs", "and who creates the CSP in the first place"),
            ["CSAM", "Create and manage the Customer Success Plan"],
            [],
        ),
        # chatter before a request, and a last clause that only says what the answer is for
        (
            ("Hi, I'm new here and getting my head around the terms. Could you list all the MCEM stages, in order?",),
            ["Listen & Consult", "Manage & Optimize"],
            ["mention"],
        ),
        (("Could you list the exit criteria for each of the five MCEM stages?",), ["Qualified pipeline"], ["Yes"]),
        (("pls list the 5 mcem stages, need it for a partner deck",), ["Inspire & Design"], ["partner"]),
        (("exit criteria for all 5 mcem stages, one line each, need it for my QBR slide",), ["Committed pipeline"], []),
        (("spell out the 3 accountable units for my new hire pls",), ["Account Team Unit"], ["Did you mean"]),
        (("which stages are for my unit",), [], ["slide"]),
        # a list's context is the list shown, not one carried over from before
        (("how many stages mcem have", "same for mssp", "last one of mssp?"), ["Support"], ["Manage & Optimize"]),
        # "he"/"she" is the role the conversation is about
        (("ssp key responsibilities", "he collaborate with whom in early stages"), ["Account Executive"], []),
        # a claim typed without its question mark, and a line claimed with the stage last
        (("csu own realize value",), ["Yes, "], []),
        (("manage & optimize is last mcem stage",), ["Yes"], []),
        (("mssp have 9 stages",), ["Yes"], []),
        (("develop key steps that involve partners",), [], ["Yes, ", "No, "]),
        (("revenue in ms sales confirmed in close stage?",), ["Yes, "], []),
        (("deploy probability and the partner margin at deploy?",), ["100%", "“margin”"], ["Yes, "]),
        # a question whose other sentence reports what someone says
        (
            ("Who authors the sponsor letter? Ben says it's always the SSP and I want to check that.",),
            ["doesn't name a role", "Qualify"],
            ["Drives solution-specific sales motions"],
        ),
        # a situation: "asked me" is no "Ask for business"; a forecast percentage in doubt gives way to what was done
        (
            ("A junior asked me: they've identified an SQP through the account plan. What stage are they in?",),
            ["Prospect"],
            ["Ask for business"],
        ),
        (
            (
                "Kat's deal: eval plan underway including partner, services, deployment and support considerations."
                " She's put it at 60% in the forecast. Which stage and probability is it really?",
            ),
            ["Solution", "40%"],
            [],
        ),
        (("we're at 80% and the support plan isnt finalized, what's left",), ["Close"], []),
        # MCEM focus named by its role assignments; the roles one role assignment has and the other hasn't
        (("whose mcem focus is Compete and Expand",), ["SSP"], ["CSAM"]),
        (
            ("MAP vs EXPAND roles - who's in one but not the other?",),
            ["In MAP but not EXPAND: the ATS", "in EXPAND but not MAP: the SSP and the CSA"],
            [],
        ),
        # a job title with its head written small; two parts that ask the same are answered once
        (
            ("Who's the Deal Desk lead in the STU, and which roles actually make up the STU?",),
            ["doesn't name a “deal desk lead” role", "SSP"],
            [],
        ),
        # "to define" is a line's verb, not a definition asked for
        (("who partners with the AE to define account and technology strategy",), ["ATS"], ["stands for"]),
        # an unknown word said right beside what the question names is asked of it
        (("what does the SE do, and SE headcount per account",), ["technical win", "“headcount”"], []),
        (("headcount of stu in region, stu stages",), ["Inspire & Design", "“headcount”"], []),
        (("coaching a new ATS - what are the ATS key responsibilities",), ["Map business value"], ["coaching"]),
        # a stage found by its line, then counted from
        (("stage after the one with committed pipeline exit",), ["Realize Value"], []),
        (("which stage comes after the one where verbal approval is received",), ["Close"], []),
        (("all roles in guide with full form",), ["Account Technology Strategist"], []),
        # one ask the documents lack and one they answer, either way round
        (("ats in compete + travel budget",), ["“travel”, “budget”", "Address technical differentiation"], []),
        (("AE salary? + focus",), ["“salary”", "Owns the overall account strategy"], []),
        (("what's the AE's quota? and their unit",), ["“quota”", "ATU"], []),
        (("qual vs proof outcome",), ["Sponsor letter agreed upon", "Verbal approval received"], []),
        (("mcem wise, who owns realize value",), ["CSU"], ["“wise”"]),
        # a stage named by its probability where a line of it is asked
        (("first checkpoint of the stage at 10%",), ["Pain admitted by sponsor"], ["Access to power negotiated"]),
        (("quick one - the stage at 10% is qualify, right?",), ["Yes"], []),
        (("the one right before the 80% stage, its vo",), ["Verbal approval received"], []),
        # a unit's stages' exit criteria, side by side
        (("exit criteria of the ATU's and CSU's stages",), ["Qualified pipeline", "Completed opportunity"], []),
        # the role assignment's other roles; the roles shown, after a pair of role assignments
        (
            ("what does the CSAM do in modernize", "and the ATS there?", "the other two roles in that stage"),
            ["SSP: Position modern workload capabilities", "CSA: Drive technical implementation"],
            [],
        ),
        (("who's in COMPETE", "same for EXPAND", "which of them aren't in compete"), ["CSAM", "CSA"], []),
        # every stage's aspect asked with the document's name; the stages with none
        (("what are the mssp probabilities", "which stages have none"), ["Demand Generation and Support"], []),
        (("mssp objectives",), ["Conduct negotiations"], ["MSSP is the Microsoft Solution Sales Process"]),
        (("ssp's 3rd key responsibility, plus the ssp quota %",), ["Secure the business decision", "“quota”"], []),
        # MCEM stages asked with an MSSP aspect: the stages, that they have none, then the MSSP stages' own
        (
            ("list the mcem stages and tell me the probability of each",),
            ["doesn't give its stages a probability", "Listen & Consult", "Qualify 10%"],
            [],
        ),
        # a claim is the first question's, not made with the second question's subject
        (("does the ATU use power bi for account planning, and what does the AE lead",), [], ["Yes, "]),
        # "the one right after X" is a neighbour; "whats between" two stages; a run of stages after one
        (("the one right after prospect, what % is it",), ["Qualify", "10%"], []),
        (("whats between qualify and proof in mssp",), ["Develop", "Solution"], []),
        (("what are the next two stages after qualify",), ["Develop", "Solution"], []),
        (("two stages after qualify",), ["Solution is stage 5"], []),
        (("mcem stages w owners",), ["Listen & Consult", "ATU", "Manage & Optimize", "CSU"], []),
        # from the review: a second question joined on makes no claim; "him" is no role; the lacking aspect;
        # a run of stages is only as long as asked; roles in one unit say so
        (("does the csu own close, and what does the ae lead?",), [], ["No, "]),
        # older review findings: a play owned by a role; a stage's place claimed; a whole decimal percentage; the
        # play's other roles after one role's task there; a stage's meaning asked
        (("does the ae own compete?",), ["names no owner", "Develop overall win strategy"], ["Yes, ", "No, ", "SSP"]),
        (("does the csam lead expand",), ["Yes, ", "Identify adoption opportunities"], []),
        (("qualify is stage 3",), ["Yes, Qualify is stage 3"], ["Listen & Consult"]),
        (("qualify is stage 4",), ["No, Qualify is stage 3"], []),
        (("we're at 80.0%, what stage is that?",), ["Close"], ["Prospect"]),
        (
            ("what does the ae do in map", "who are the other roles in that stage"),
            ["ATS", "Conduct technical discovery", "CSAM"],
            ["Account Team Unit"],
        ),
        (("what does proof mean",), ["Verbal approval received"], ["Did you mean"]),
        # "one" that counts nothing; a report before ", but" and a question after it; "- agree?" as a tag
        (
            (
                "odd one but 'new prospects identified and captured in appropriate system' is a deploy checkpoint,"
                " is that right?",
            ),
            ["Yes, "],
            ["No, "],
        ),
        (
            ("rep says the CSAM has nothing to do until post-sale, but does the CSAM actually have a role in MAP?",),
            ["Yes, ", "Identify business outcomes"],
            [],
        ),
        (("'transition deployment ownership' is a close key step - agree?",), ["No, ", "key step of Deploy"], []),
        (
            ("which stage is 'sponsor agrees to explore' in", "and 'confirm that power agrees to explore'?"),
            ["Develop"],
            [],
        ),
        # two percentages joined by "and" are two stages, not a band; "obj" is the objective
        (("stages at 0 and 100%", "objective of the 2nd one"), ["Finalize deployment plan"], []),
        (("stages between 10 and 40%",), ["Qualify", "Develop", "Solution"], []),
        (("obj for develop",), ["relationship with power"], []),
        # " & " joins two asks unless it is inside a name; a stage's two neighbours
        (("whats the stage before demand gen & demand gen objective",), ["no stage before", "Generate awareness"], []),
        (("stage before proof & the one after it",), ["Solution comes before Proof", "Close comes after Proof"], []),
        (("stage after qualify + the one after that",), ["Develop", "Solution"], []),
        (("who owns inspire & design",), ["STU"], []),
        (("who's acountable for manage & optimise",), ["CSU"], []),
        (("who creates & manages the CSP",), ["CSAM"], []),
        # the roles two role assignments share; a play's other roles, then "there"
        (("roles in both map and compete",), ["In both MAP and COMPETE: the AE and the ATS"], []),
        (
            ("what does the ats do in compete", "who else is in that stage with them", "and the AE's bit there?"),
            ["Develop overall win strategy"],
            [],
        ),
        (("mcem stages + owning unit",), ["Listen & Consult: ATU"], []),
        (("Which units own the MCEM stages?",), ["three accountable units"], []),
        # words said of one thing that none of its lines has are named as not covered for it
        (("target revenue for deploy stage",), ["“target”", "for Deploy"], []),
        (("what does the ats do",), [], ["don't say"]),
        # a question, then what a rep holds; -ise spellings; "wraps up" ends a stage
        (
            (
                "who's meant to write the sponsor letter and send it round with the v-team on copy?"
                " rep thinks it's the AE",
            ),
            ["Qualify"],
            [],
        ),
        (
            ("which stage is about finalising the support plan, running it and keeping an eye on progress?",),
            ["Support"],
            [],
        ),
        (
            ("which MCEM stage wraps up when we've hit the outcomes and have baselines measured?",),
            ["Realize Value"],
            [],
        ),
        # progress told, then a question about "this stage": asked of the stage the progress puts the deal in
        (
            (
                "contract, deployment SOW and support plan are all finalised including the partners. what verifiable"
                " outcome do we need before leaving this stage?",
            ),
            ["Signed documents"],
            ["Supportability"],
        ),
        (("access to power negotiated. what's the verifiable outcome of this stage?",), ["Sponsor letter"], []),
        # "from end" without "the"; role assignments called "role stages" or counted as many; an aspect said after
        # "not the" is not asked
        (("3rd from end in mssp",), ["Close is stage 7"], ["Demand Generation"]),
        (("which of the 4 role stages is the csam in",), ["MAP, EXPAND and MODERNIZE"], []),
        (("each role w/ its main focus line (not the mcem focus), quick",), ["Drives solution-specific sales"], []),
        # the one picked, then a question about "that"; a row's two roles; "100% sure"; an example of the form;
        # "so i can ..." and "plus"
        (
            ("what are the five mcem stages in order?", "ok so the second one you mentioned - who owns that?"),
            ["Inspire & Design is owned by the STU"],
            ["Account Team Unit"],
        ),
        (("list the accountable units", "the 2nd one, what stages does it own"), ["STU"], []),
        (
            (
                "sorry to bother you, what does the account strategy person do again? i think it's the AE but i'm"
                " not 100% sure",
                "and which unit are they in?",
            ),
            ["ATU"],
            ["Solution Team Unit"],
        ),
        (("can you list every role with its unit please? like AE - ATU etc, i'm making a cheat sheet",), ["CSAM"], []),
        (("list the ATS responsibilities so i can revise them",), ["Map business value"], []),
        (("mcem stage names plus exit criteria, as a table or list? for my notes",), ["Committed pipeline"], []),
        # positions in a role assignment asked in one message; the stages without a percentage after the list;
        # a document named in a sentence that tells; "the solution one"; one unit's acronym; "his <unknown>"
        (("for the COMPETE role assignment, who's the second role listed and what do they do?",), ["ATS"], []),
        (
            ("Under the COMPETE stage, which role is listed third and what are they responsible for?",),
            ["win strategy"],
            [],
        ),
        (
            ("could you give me all the mssp stages?", "out of those, which ones don't have a percentage?"),
            ["Demand Generation and Support"],
            [],
        ),
        (("what are the checkpoints in support? it's the last mssp stage i think",), ["Feedback loop"], []),
        (
            ("the account team unit - what's the acronym and who's in it?", "what about the solution one?"),
            ["STU"],
            ["ATS"],
        ),
        (("what's the acronym for the account team unit",), ["The ATU is the Account Team Unit"], ["MSSP:"]),
        (("SSP responsibilities and his commission plan?",), ["“commission”", "SSP"], []),
        (("checkpoints in deploy + support that mention the customer",), ["Support plan reviewed with customer"], []),
        # the seller's own numbering; a thing of one of a role's lines; a second question about the first's subject
        (
            ("1) what's the salary band for a CSAM 2) what plan do they create",),
            ["“salary”", "Create and manage the Customer Success Plan"],
            [],
        ),
        (("1) which stages does the STU own 2) what are the roles in it",), ["Inspire & Design", "SE"], []),
        (("what plan does the csam create?",), ["Create and manage the Customer Success Plan"], []),
        (("what does the csam do post-sale and whats their customer ratio?",), ["Customer Success Plan"], []),
        # from the review of this change: "but not" is no "in both"; "roles for both" is every role of each; the
        # NA stages only after the whole list; a play's name is no gap; a place-first claim with no such line, a
        # negated one or one about an MCEM stage gets no Yes; a unit's stages for "what does it own"; "80% sure"
        # of a deal is its probability; decimals shown as typed; "stage 2 is prospect?"
        (("which roles are shared by MAP and EXPAND but not COMPETE",), [], ["In all of", "In both"]),
        (("give me the roles for both MAP and COMPETE",), ["CSAM", "SSP"], ["In both MAP and COMPETE:"]),
        (("proof vs close vs deploy", "which ones don't have a probability?"), [], ["Demand Generation and Support"]),
        (("the ae helps compete",), [], ["“compete”"]),
        (("in compete the ssp is optional?",), ["“optional”"], ["Yes, "]),
        (("in map the ats does not conduct technical discovery?",), [], ["Yes, "]),
        (("in listen & consult the ATS drive negotiation and deal closure?",), [], ["Yes, "]),
        (
            ("list the units", "the third one you mentioned - what does it own?"),
            ["accountable for the Realize Value"],
            [],
        ),
        (("we're 80% sure we'll close. which stage?",), ["Close"], []),
        (("which stage is at 62.5%?",), ["“62.5%”"], ["point"]),
        (("stage 2 is prospect?",), ["Yes, Prospect is stage 2"], []),
        (("is the SSP in COMPETE and EXPAND but not in MAP",), ["Yes"], []),
        # a play's task said with the play's name; a stage named by its one word of its own; a second question
        # answered after the first's gap
        (
            ("how does the ssp's compete task compare to the ats's compete task?",),
            ["competitive intelligence", "technical differentiation"],
            [],
        ),
        (
            ("the inspire and deliver stage - what's it actually called and who owns it?",),
            ["Inspire & Design", "STU"],
            [],
        ),
        (
            ("which unit does the partner development manager belong to? and what units are there?",),
            ["“development manager”", "ATU", "CSU"],
            [],
        ),
        # what the seller thought, then ", does ...?"; "they" after a line found is that line's role, not a play
        # named by an everyday word ("maps")
        (
            ("I thought the ATS was in every one of the role assignment stages, does the ATS show up in EXPAND too?",),
            ["No, "],
            [],
        ),
        (("who maps business value to tech capabilities and what unit are they in",), ["ATU"], ["MAP involves"]),
        # the one of a stage's list the words pick; a place picked from a list keeps the list
        (
            ("which qualify key step is the sponsor letter one?",),
            ["Author and send sponsor letter"],
            ["call to sponsor"],
        ),
        (
            (
                "what are the mcem exit criteria for all 5 stages?",
                "the third one you mentioned - who's accountable for that stage?",
                "and the last one?",
            ),
            ["Manage & Optimize is owned by the CSU"],
            [],
        ),
        # "is there ... in the next stage's key steps" asks about a neighbour's lines, not whether a stage exists
        (
            ("what's the 10% stage?", "the partners one - is there partner stuff in the next stage's key steps too?"),
            [],
            ["no such stage"],
        ),
        # each role's MCEM focus when the MCEM focus of several is asked, the SE's gap named
        (("MCEM focus of CSA and of the SE?",), ["Modernize (implementation)", "doesn't give the SE"], []),
        # a place, a role, then a task claimed, with no auxiliary typed
        (("in EXPAND stage the CSAM create transformation vision and change management plan?",), ["No, "], []),
        (("in modernize the csa drive technical implementation and consumption?",), ["Yes, ", "the CSA's"], []),
        # a part of a line's list is not another line ("... deployment plan and support plan"); "incl." ends
        # no sentence; a last fragment's typo is mended
        (
            (
                "proof of concept running, and we build proposal with partners incl. deployment plan and support"
                " plan. what stage & probability?",
            ),
            ["you are in Proof", "60%"],
            ["you are in Support"],
        ),
        (
            (
                "sponsor letter agreed, access to power negotiated, now we transition opty ownership. stage and"
                " propability?",
            ),
            ["Develop", "20%"],
            [],
        ),
        (("ae responsibilities", "I need to tell him what the CSU owns"), ["Realize Value"], ["Listen & Consult"]),
        (
            ("what are the mssp probabilities", "which ones dont have checkpoints"),
            [],
            ["Demand Generation and Support"],
        ),
        (("what is the proof stage at a time like this",), ["Proof"], ["Checkpoint 1 of"]),
        (("the ae owns compete",), [], ["No, "]),
        (("next 9 stages after prospect",), ["no stage 9 after Prospect"], []),
        (("what do the SSP and the SE have in common",), ["Both are in the STU", "gives the SE no MCEM focus"], []),
        # what two roles have in common
        (("ssp mcem focus", "and the CSA's", "so which one do they share"), ["both name EXPAND"], []),
        (("what do the ae and the csam have in common",), ["MAP and EXPAND role assignments name both"], []),
    ],
)
def test_composed_question(ix: KnowledgeIndex, turns: tuple[str, ...], says: list[str], never: list[str]) -> None:
    text = ask(ix, *turns)
    for phrase in says:
        assert phrase.lower() in text.lower().replace("&amp;", "&"), (phrase, text[:500])
    for phrase in never:
        assert phrase.lower() not in text.lower(), (phrase, text[:500])


def test_yes_no_answers_start_with_the_verdict(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    result = d.send("does the CSU own Listen & Consult?")
    assert result.replies[0].text is not None and result.replies[0].text.startswith("No, ")


@pytest.mark.parametrize(
    ("start", "first_checkpoint"),
    [
        ("let's do the Close readiness check", "Contract, deployment SOW and support plan finalized"),
        ("go through the proof checkpoints with me", "Eval plan completed"),
        ("check my deal at 60%", "Eval plan completed"),
        ("lets do the qualfy ceck", "Pain admitted by sponsor"),
        ("lets qualify this deal", "Pain admitted by sponsor"),
        ("We're at 100% on the rollout - can you walk us through the checks for that stage?", "New prospects"),
        ("I'd like you to lead the Proof checkpoints, one checkpoint at a time please.", "Eval plan completed"),
    ],
)
def test_a_check_starts_in_any_wording(ix: KnowledgeIndex, start: str, first_checkpoint: str) -> None:
    text = ask(ix, start)
    assert "Checkpoint 1 of" in text and first_checkpoint in text


def test_forget_it_cancels_a_check(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    d.send("run the checkpoint check for Proof")
    assert "check stopped" in d.said(d.send("actually forget it")).lower()
    assert d.state is not None and d.state["check"] is None


def test_cancel_closes_the_stage_picker_so_the_next_question_is_answered(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    assert "Which MSSP stage" in d.said(d.send("qualify"))
    d.send("cancel")
    assert d.state is not None and not d.state["picking"]
    result = d.send("who owns Inspire & Design?")
    assert result.kind == "mcem.owner" and "STU" in d.said(result)


def test_replies_never_say_seeds(ix: KnowledgeIndex) -> None:
    for question in ("what does v-team mean", "who keeps the RAID logs?", "what is GTM"):
        assert "seed" not in ask(ix, question).lower()


@pytest.mark.parametrize(
    ("first", "slot", "value", "follow_up"),
    [
        (
            "exit criteria for L&C and who owns it",
            "asked_parts",
            [{"kind": "mssp.probability", "slots": {}}] * 2,
            "ok same for inspire & design",
        ),
        (
            "exit criteria for L&C and who owns it",
            "asked_parts",
            [{"kind": "compare", "slots": {}}] * 2,
            "ok same for inspire & design",
        ),
        ("exit criteria for L&C and who owns it", "asked_parts", "nonsense", "ok same for inspire & design"),
        ("first 3 mssp stages and their %", "shown", 5, "the next 3"),
        ("first 3 mssp stages and their %", "shown", ["bogus"], "the next 3"),
        ("last mcem stage?", "counted", True, "what about mssp"),
        ("last mcem stage?", "counted", -99, "what about mssp"),
        # (names where a list was stored, lists where a name: each would be looked up in a dict or a set)
        ("first 3 mssp stages and their %", "type", ["mssp_stage"], "the next 3"),
        ("first 3 mssp stages and their %", "shown", [["probability"]], "the next 3"),
        ("first 3 mssp stages and their %", "items", [[["mssp_stage"], "qualify"]], "the 2nd of those"),
        ("who owns listen & consult", "mcem_stage", ["listen-consult"], "what about the next two stages"),
        ("which unit is the ae in", "unit", ["atu"], "what else does it own"),
        ("develop checkpoints", "looked_facts", ["37"], "same but for qualify"),
        ("develop checkpoints", "looked_facts", [10**9], "same but for qualify"),
    ],
)
def test_a_stored_slot_of_the_wrong_shape_is_ignored(
    ix: KnowledgeIndex, first: str, slot: str, value: Any, follow_up: str
) -> None:
    """Context read back from storage is not trusted: a slot of the wrong shape gives an answer, not a crash."""
    d = Dialog(ix)
    d.send(first)
    assert d.state is not None
    d.state["context"]["slots"][slot] = value
    assert d.said(d.send(follow_up)).strip()
