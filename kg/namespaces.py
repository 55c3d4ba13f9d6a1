"""IRIs of the ontology and of tmkg's resources, as typed namespaces.

`TM` is a closed rdflib namespace: a typo such as ``TM.ownr`` raises AttributeError.
A test checks it against ``schema/ontology.ttl``.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = [
    "GRAPH",
    "ID",
    "JURISDICTION",
    "NICE",
    "ONTOLOGY_GRAPH",
    "PREFIXES",
    "REFERENCE_GRAPH",
    "TM",
]


class TM(DefinedNamespace):
    """The tmkg ontology, ``https://w3id.org/tmkg/ontology#``."""

    _NS = Namespace("https://w3id.org/tmkg/ontology#")
    _fail = True

    # classes
    Party: URIRef
    Company: URIRef
    Person: URIRef
    Court: URIRef
    TrademarkOffice: URIRef
    Mark: URIRef
    Registration: URIRef
    Use: URIRef
    Claim: URIRef
    ClaimKind: URIRef
    Jurisdiction: URIRef
    PriorityRule: URIRef
    NiceClass: URIRef
    ClassRelatedness: URIRef
    Case: URIRef
    Event: URIRef
    LawsuitFiled: URIRef
    Judgment: URIRef
    Appeal: URIRef
    MarketEntry: URIRef
    MarketExit: URIRef
    Publication: URIRef
    Source: URIRef
    SourceGraph: URIRef
    CurationGraph: URIRef
    ReferenceGraph: URIRef
    MarkStatus: URIRef
    PartyMatch: URIRef
    # individuals
    FirstToFile: URIRef
    FirstToUse: URIRef
    FirstUseClaim: URIRef
    OwnershipClaim: URIRef
    FilingClaim: URIRef
    # properties
    text: URIRef
    similarMark: URIRef
    mark: URIRef
    owner: URIRef
    user: URIRef
    onBehalfOf: URIRef
    region: URIRef
    jurisdiction: URIRef
    niceClass: URIRef
    filingDate: URIRef
    registrationDate: URIRef
    registrationNumber: URIRef
    grantedBy: URIRef
    status: URIRef
    statusCode: URIRef
    markStatus: URIRef
    statusDate: URIRef
    applicationNumber: URIRef
    publicationDate: URIRef
    expiryDate: URIRef
    renewalDate: URIRef
    startDate: URIRef
    endDate: URIRef
    claimant: URIRef
    claimKind: URIRef
    claimedDate: URIRef
    code: URIRef
    priorityRule: URIRef
    priorityRuleBasis: URIRef
    # section E: claims: Paris priority, first use, translation, transliteration, disclaimer
    PriorityClaim: URIRef
    priorityClaim: URIRef
    priorityCountryCode: URIRef
    priorityDate: URIRef
    priorityApplicationNumber: URIRef
    firstUsedDate: URIRef
    firstUsedCommerceDate: URIRef
    markTranslation: URIRef
    markTransliteration: URIRef
    markDisclaimer: URIRef
    priorUseBasis: URIRef
    classNumber: URIRef
    relates: URIRef
    strength: URIRef
    plaintiff: URIRef
    defendant: URIRef
    court: URIRef
    concerns: URIRef
    caseNumber: URIRef
    claimAmount: URIRef
    # section A: owners over time, owner country, representatives
    OwnershipChange: URIRef
    Assignment: URIRef
    Merger: URIRef
    NameChange: URIRef
    SecurityInterest: URIRef
    registration: URIRef
    assignor: URIRef
    assignee: URIRef
    conveyanceText: URIRef
    recordalDate: URIRef
    dateIsUpperBound: URIRef
    nationality: URIRef
    representative: URIRef
    # section B: regional and international rights (EM, BX, OA, WO designations)
    RegionalJurisdiction: URIRef
    Membership: URIRef
    Designation: URIRef
    regionalSystem: URIRef
    memberState: URIRef
    memberFrom: URIRef
    memberUntil: URIRef
    designation: URIRef
    designationDate: URIRef
    # section C: oppositions and cancellations as proceedings
    Proceeding: URIRef
    Opposition: URIRef
    Cancellation: URIRef
    ProceedingOutcome: URIRef
    ProceedingOutcomeScheme: URIRef
    OutcomePending: URIRef
    OutcomeUpheld: URIRef
    OutcomePartlyUpheld: URIRef
    OutcomeRejected: URIRef
    OutcomeWithdrawn: URIRef
    OutcomeSettled: URIRef
    office: URIRef
    contestedRegistration: URIRef
    earlierRight: URIRef
    proceedingFilingDate: URIRef
    decisionDate: URIRef
    outcome: URIRef
    date: URIRef
    case: URIRef
    involves: URIRef
    damages: URIRef
    costs: URIRef
    approximateAmountUSD: URIRef
    currency: URIRef
    payer: URIRef
    payee: URIRef
    orders: URIRef
    matchedParty: URIRef
    matchedName: URIRef
    normalizedName: URIRef
    matchScore: URIRef
    matchMethod: URIRef
    sourceKind: URIRef
    # section D: kind of mark, Vienna codes, verbal element, goods and services, class schemes
    MarkFeature: URIRef
    GoodsServices: URIRef
    NationalClass: URIRef
    markFeature: URIRef
    viennaCode: URIRef
    verbalElement: URIRef
    goodsServices: URIRef
    goodsServicesClass: URIRef
    goodsServicesText: URIRef
    classificationVersion: URIRef
    # section F: register details: prosecution history, opposition period, design search codes
    ProsecutionEvent: URIRef
    eventCode: URIRef
    eventKind: URIRef
    oppositionPeriodStartDate: URIRef
    oppositionPeriodEndDate: URIRef
    designSearchCode: URIRef
    # section H: a register record's states over time (kg.registries.versions)
    recordDate: URIRef
    RegisterRecordVersion: URIRef
    # section W: watches and their hits (kg.analysis.watch_definitions, kg.analysis.watch_hits)
    Watch: URIRef
    WatchHit: URIRef
    watchText: URIRef
    watchedRegistration: URIRef
    watchClass: URIRef
    watchRelatedClasses: URIRef
    watchJurisdiction: URIRef
    watchMinScore: URIRef
    watchOwner: URIRef
    watch: URIRef
    hitRegistration: URIRef
    hitKind: URIRef
    hitScore: URIRef
    hitReason: URIRef
    hitStatus: URIRef
    detectedAt: URIRef
    oppositionWindowStart: URIRef
    oppositionWindowEnd: URIRef
    oppositionWindowExtendable: URIRef
    oppositionWindowStated: URIRef
    oppositionRule: URIRef
    oppositionRuleSource: URIRef


ID = Namespace("https://w3id.org/tmkg/id/")
JURISDICTION = Namespace("https://w3id.org/tmkg/id/jurisdiction/")
NICE = Namespace("https://w3id.org/tmkg/id/nice/")
GRAPH = Namespace("https://w3id.org/tmkg/id/graph/")
ONTOLOGY_GRAPH = GRAPH["ontology"]
REFERENCE_GRAPH = GRAPH["reference"]

PREFIXES: dict[str, str] = {
    "tm": "https://w3id.org/tmkg/ontology#",
    "id": "https://w3id.org/tmkg/id/",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""The prefixes predeclared in every SPARQL query and used to shorten IRIs in output."""
