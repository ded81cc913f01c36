/**
 * The five departments of the seed taxonomy, each with sub-topics. A sub-topic carries its own
 * sentences, the company kind the complaint is about, how consumers file it in the CFPB form (product,
 * sub-product, issue — several choices, so the product field is not the department), and related
 * sub-topics from other departments whose sentences may appear in the same story.
 */
import type { CompanyKind } from "./template.js";

export const departments = [
  "Bank account services",
  "Credit card / Prepaid card",
  "Theft/Dispute reporting",
  "Mortgages/loans",
  "Others",
] as const;
export type Department = (typeof departments)[number];

export const defaultClassShares: Record<Department, number> = {
  "Bank account services": 0.3,
  "Credit card / Prepaid card": 0.25,
  "Theft/Dispute reporting": 0.18,
  "Mortgages/loans": 0.15,
  Others: 0.12,
};

export interface ProductChoice {
  product: string;
  subProducts: readonly string[];
  issue: string;
  weight: number;
}

export interface SubtopicSource {
  name: string;
  weight: number;
  company: CompanyKind;
  products: readonly ProductChoice[];
  /** Sub-topics of other departments that naturally come up in the same complaint. */
  related: readonly string[];
  sentences: readonly string[];
}

export interface DepartmentSource {
  name: Department;
  /** Department-wide sentences, used with any of its sub-topics. */
  sentences: readonly string[];
  subtopics: readonly SubtopicSource[];
}

const checking = "Checking or savings account";
const checkingSubs = [
  "Checking account",
  "Checking account",
  "Savings account",
  "Other banking product or service",
];
const card = "Credit card or prepaid card";
const creditCardSubs = ["General-purpose credit card or charge card", "Store credit card"];
const prepaidSubs = ["General-purpose prepaid card", "Government benefit card", "Gift card", "Payroll card"];
const mortgage = "Mortgage";
const mortgageSubs = [
  "Conventional home mortgage",
  "Conventional home mortgage",
  "FHA mortgage",
  "VA mortgage",
  "Home equity loan or line of credit (HELOC)",
];
const vehicle = "Vehicle loan or lease";
const personalLoan = "Payday loan, title loan, or personal loan";
const studentLoan = "Student loan";
const debtCollection = "Debt collection";
const creditReporting = "Credit reporting, credit repair services, or other personal consumer reports";
const moneyTransfer = "Money transfer, virtual currency, or money service";
const transferSubs = [
  "Domestic (US) money transfer",
  "Mobile or digital wallet",
  "International money transfer",
];

function choice(product: string, subProducts: readonly string[], issue: string, weight = 1): ProductChoice {
  return { product, subProducts, issue, weight };
}

const bankAccount: DepartmentSource = {
  name: "Bank account services",
  sentences: [
    "I have had my [checking|checking and savings] account with {company} for {years} years.",
    "I went to the branch and spoke with the [branch manager|banker|teller].",
    "My account number ends in XXXX.",
    "I rely on this account for my direct deposit and to pay my bills.",
    "The branch manager could not explain the transactions on my bank statement.",
    "I need access to my funds to pay my [rent|bills|car payment].",
    "Online banking shows a different balance than my bank statement.",
    "My checking account balance was {amount} at the time.",
    "The bank has had my money for {days} days and will not give it back.",
    "I have never overdrawn my account before this.",
  ],
  subtopics: [
    {
      name: "overdraft",
      weight: 0.24,
      company: "bank",
      products: [choice(checking, checkingSubs, "Problem caused by your funds being low")],
      related: ["late-fee", "unauthorized-transfer"],
      sentences: [
        "{company} charged me {count} overdraft fees of {fee} each on the same day.",
        "The overdraft fees were charged even though my [direct deposit|paycheck] posted that morning.",
        "They reordered my transactions from highest to lowest so they could charge more overdraft fees.",
        "I never opted in to overdraft protection on my checking account.",
        "My checking account went negative by {amount} because of the fees alone.",
        "When I asked for a refund of the overdraft fees the [banker|representative|branch manager] said they could only reverse one fee.",
        "A pending debit card transaction was counted twice and caused an overdraft fee of {fee}.",
        "The bank keeps charging a {fee} extended overdraft fee every {days} days.",
        "I transferred money from my savings account to cover the overdraft but they still charged the fee.",
        "The available balance showed enough money when I made the purchase, but the overdraft fee was charged anyway.",
        "In total I have paid {amount} in overdraft and insufficient funds fees this year.",
        "They charged a non sufficient funds fee for a payment they returned anyway.",
        "[Because of|After] the overdraft fees my account [went into the negative|was overdrawn] and [they closed it|I could not pay my rent].",
        "I [asked|begged] them to [waive|refund|reverse] the [overdraft|NSF|insufficient funds] fees and they said [no|it was bank policy].",
        "A [recurring|subscription|utility] payment of {smallAmount} [posted|came out] before my deposit and triggered {count} overdraft fees.",
      ],
    },
    {
      name: "closed-account",
      weight: 0.2,
      company: "bank",
      products: [choice(checking, checkingSubs, "Closing an account")],
      related: ["credit-reporting", "unauthorized-transfer"],
      sentences: [
        "{company} closed my [checking|savings|checking and savings] account without any notice on {date}.",
        "They said the decision was final and they could not tell me why my account was closed.",
        "I still have {amount} of my funds in the closed account and they will not release them.",
        "They told me a check would be mailed to me within {days} business days but I never received it.",
        "My direct deposit was returned to my employer because the account had been closed.",
        "The bank froze my account and put a restriction on it for a review.",
        "I was told my account was flagged by the [risk department|security team|back office] and nobody could help me.",
        "Because my account was closed, my automatic payments bounced and I was charged returned item fees.",
        "Now I am reported to ChexSystems and cannot open a checking account at another bank.",
        "I tried to close my savings account and they kept charging maintenance fees after I asked to close it.",
        "The closing balance on my account was never sent to me.",
        "[They|The bank] [closed|shut down|froze] my account [while|because] I was [disputing a charge|out of the country|in the hospital].",
        "I received a letter dated {date} saying my [account|relationship] with {company} would be [closed|terminated] in {days} days.",
      ],
    },
    {
      name: "deposit-hold",
      weight: 0.18,
      company: "bank",
      products: [choice(checking, checkingSubs, "Managing an account")],
      related: ["money-transfer", "payment-servicing"],
      sentences: [
        "I deposited a check for {amount} at the [branch|ATM|mobile app] on {date}.",
        "{company} placed a hold on the deposit for {days} business days.",
        "The funds from my deposit are still not available even though the check cleared.",
        "The teller told me the hold would be lifted the next day but it never was.",
        "I needed those funds to pay my rent and now I am being charged late fees.",
        "The mobile deposit was rejected after {days} days and the bank charged me a {fee} returned deposit fee.",
        "The cashier's check I deposited was from [a title company|an insurance company|my employer] and is legitimate.",
        "They reversed the deposit and my account is now negative {amount}.",
        "My deposit never showed up in my account balance.",
        "The bank said the check was held because my account is new, but I have banked with them for years.",
        "My tax refund deposit was held for review and I still cannot use the money.",
        "[The hold|The deposit hold|This hold] caused [several|{count}] of my [payments|checks|bills] to [bounce|be returned].",
        "[My|The] [payroll|stimulus|child support] deposit of {amount} [was put on hold|is still pending|was reversed].",
      ],
    },
    {
      name: "debit-card",
      weight: 0.14,
      company: "bank",
      products: [choice(checking, checkingSubs, "Managing an account")],
      related: ["stolen-card", "fraudulent-charges"],
      sentences: [
        "My debit card was declined at {merchant} even though I had {amount} in my checking account.",
        "The ATM did not dispense the cash but my account was debited {amount}.",
        "{company} sent me a new debit card but it never arrived and I could not access my money.",
        "The bank locked my debit card and I could not buy groceries for {days} days.",
        "I have used my debit card for everyday purchases for years without a problem.",
        "My debit card PIN was reset without my request.",
        "A merchant charged my debit card twice for the same purchase and the bank says it is up to the merchant.",
        "The ATM kept my debit card and the branch could not give it back.",
        "My debit card daily limit was lowered without notice.",
        "[I tried to withdraw|I withdrew] {smallAmount} at [an ATM|the ATM at the branch] and [the machine|it] [gave me nothing|only gave me part of the cash].",
        "My [debit card|ATM card] was [canceled|deactivated|replaced] [without notice|for no reason] and I was [stranded|left without money] for {days} days.",
      ],
    },
    {
      name: "wire-transfer",
      weight: 0.14,
      company: "bank",
      products: [
        choice(checking, checkingSubs, "Managing an account", 3),
        choice(
          moneyTransfer,
          ["Domestic (US) money transfer", "International money transfer"],
          "Other transaction problem",
        ),
      ],
      related: ["money-transfer", "unauthorized-transfer", "payment-servicing"],
      sentences: [
        "I sent a wire transfer of {bigAmount} from my checking account on {date} and it never arrived.",
        "The bank says the wire was sent but the receiving bank has no record of it.",
        "They charged me a {fee} wire fee and now want another fee to trace the wire.",
        "An internal transfer between my checking and savings accounts has been pending for {days} days.",
        "I was told the wire recall request could take up to {days} business days.",
        "The routing number on the wire was correct and I have the confirmation number.",
        "My ACH transfer to my account at another bank was returned and the money is gone.",
        "The wire was for the down payment on my house and the closing was delayed.",
        "They need the receiving bank to confirm before they can return my funds.",
        "[The|My] [wire|transfer] [to|from] my [landlord|title company|family member] [is still missing|was returned|was delayed for {days} days].",
        "[They|The bank] [placed|put] a [hold|review] on my outgoing wire and [I missed|I almost missed] my closing date.",
      ],
    },
    {
      name: "account-fees",
      weight: 0.1,
      company: "bank",
      products: [
        choice(checking, checkingSubs, "Opening an account", 1),
        choice(checking, checkingSubs, "Managing an account"),
      ],
      related: ["annual-fee", "rewards"],
      sentences: [
        "I opened a checking account with {company} for the {bonus} bonus and met all the requirements.",
        "They never paid the bonus and said I did not qualify.",
        "{company} started charging a monthly maintenance fee of {fee} without telling me.",
        "I was told the monthly fee would be waived as long as I kept a minimum balance.",
        "My savings account interest was not paid at the rate they advertised.",
        "I was charged a paper statement fee even though I signed up for electronic statements.",
        "The banker who opened my account promised there would be no monthly service fee.",
        "[They|The bank] charged me {fee} [for a cashier's check|for a stop payment|to close my account|for a paper statement].",
        "The [promotion|offer] said I would [get|earn] a {bonus} bonus for [setting up direct deposit|opening a new account].",
      ],
    },
  ],
};

const creditCard: DepartmentSource = {
  name: "Credit card / Prepaid card",
  sentences: [
    "I have had my {card} with {company} for {years} years and always paid on time.",
    "My credit card account number ends in XXXX.",
    "The credit card statement dated {date} shows a balance of {amount}.",
    "I pay more than the minimum payment every month.",
    "I called the number on the back of my card.",
    "My {card} has a credit limit of {limit}.",
    "I want {company} to correct my credit card account.",
    "I use this card for [everyday purchases|groceries and gas|business expenses|travel].",
    "The card agreement does not say anything about this.",
  ],
  subtopics: [
    {
      name: "annual-fee",
      weight: 0.15,
      company: "cardIssuer",
      products: [choice(card, creditCardSubs, "Fees or interest")],
      related: ["account-fees", "credit-reporting"],
      sentences: [
        "I was charged an annual fee of {fee} on my {card} even though I was told there would be no annual fee.",
        "When I applied for the card the offer said no annual fee for the first year.",
        "I asked them to waive the annual fee or close the card and they refused to refund it.",
        "I closed the credit card account and they still billed me the annual fee.",
        "The annual fee posted to my statement and then I was charged interest on it.",
        "The annual fee was raised to {fee} with no notice.",
        "[The|My] {card} [renewed|was renewed] and the {fee} annual fee [posted|was charged] [without any notice|before I could cancel].",
        "[I called to|I tried to] [downgrade|cancel] the card [before|right after] the annual fee posted and they [refused|said it was too late].",
      ],
    },
    {
      name: "rewards",
      weight: 0.17,
      company: "cardIssuer",
      products: [
        choice(card, creditCardSubs, "Advertising and marketing, including promotional offers"),
        choice(card, creditCardSubs, "Other features, terms, or problems"),
      ],
      related: ["account-fees", "chargeback"],
      sentences: [
        "I earned {points} rewards points on my {card} and they disappeared from my account.",
        "The sign up bonus of {points} points was never credited even though I spent {amount} in the first three months.",
        "{company} closed my credit card and I lost all of my rewards points.",
        "The cash back rewards were not applied to my statement balance as promised.",
        "The rewards program terms were changed without notice.",
        "They said my purchases did not qualify for the bonus category.",
        "I tried to redeem my points for a travel credit and the redemption failed.",
        "[My|The] [points|miles|cash back] [expired|were forfeited|were taken back] [after|when] I [paid off|closed|made a late payment on] the card.",
        "[They|{company}] [advertised|promised] {points} [bonus points|miles] [for|after] spending {amount} [in three months|on the card].",
      ],
    },
    {
      name: "credit-limit",
      weight: 0.17,
      company: "cardIssuer",
      products: [
        choice(card, creditCardSubs, "Other features, terms, or problems"),
        choice(card, creditCardSubs, "Getting a credit card"),
      ],
      related: ["credit-reporting", "identity-theft"],
      sentences: [
        "{company} lowered my credit limit from {limit} to {limit} without any warning.",
        "Lowering my credit limit raised my credit utilization and hurt my credit score.",
        "I requested a credit limit increase and they did a hard inquiry without my permission.",
        "My card was declined because they reduced my limit to my current balance.",
        "I was charged an over limit fee even though I never went over my credit limit.",
        "I applied for the card and was approved for a limit of {limit}, but the card came with a much lower limit.",
        "My application for a credit card was denied and they never explained why.",
        "[My|The] credit limit was [cut|reduced|lowered] to {limit} [even though|although] I [always pay on time|have excellent credit|never missed a payment].",
        "[Because of|After] the [lower limit|limit decrease] my [balance|card] is now [over the limit|maxed out] and they charge [fees|interest].",
      ],
    },
    {
      name: "late-fee",
      weight: 0.18,
      company: "cardIssuer",
      products: [
        choice(card, creditCardSubs, "Problem when making payments"),
        choice(card, creditCardSubs, "Fees or interest"),
      ],
      related: ["overdraft", "credit-reporting", "debt-collection"],
      sentences: [
        "I was charged a late fee of {fee} even though I made my credit card payment on time.",
        "My payment was sent on {date} and the due date was not until {date}.",
        "The autopay from my checking account did not go through and they charged me a late fee.",
        "They reported my credit card account as 30 days late to the credit bureaus.",
        "I have never missed a payment on this card and asked for a one time courtesy waiver.",
        "The payment was posted a day late because of their online payment system.",
        "They changed my payment due date without telling me and then charged a late fee.",
        "My online payment of {amount} was returned by the credit card company for no reason.",
        "[My|The] [payment|autopay] of {amount} was [made|scheduled] [before|on] the due date and they [still|also] charged a late fee of {fee}.",
        "[They|{company}] [refused|declined] to [remove|waive|reverse] the late fee [and|even though] [I have paid on time for years|it was their error].",
      ],
    },
    {
      name: "apr-interest",
      weight: 0.2,
      company: "cardIssuer",
      products: [choice(card, creditCardSubs, "Fees or interest")],
      related: ["personal-loan", "chargeback"],
      sentences: [
        "My APR was increased from {apr} to {apr} without notice.",
        "I was charged interest on a purchase even though I paid the statement balance in full.",
        "The 0% promotional APR on my balance transfer ended early.",
        "They charged a balance transfer fee of {fee} that was not disclosed.",
        "Deferred interest of {amount} was added to my account from the promotional financing.",
        "The interest charges on my credit card statement do not match the APR in my card agreement.",
        "The minimum payment keeps going up because of the interest.",
        "I was charged a cash advance fee and cash advance interest on a purchase.",
        "I have paid more in interest than the original balance on the card.",
        "[They|{company}] [raised|increased|changed] my interest rate to {apr} [after|because of] [one late payment|a change in terms|my credit score].",
        "[I was told|The promotion said] I would [pay|have] no interest for {count} months [if I|as long as I] [paid|made] the minimum [payments|payment].",
      ],
    },
    {
      name: "prepaid-card",
      weight: 0.13,
      company: "cardIssuer",
      products: [
        choice(card, prepaidSubs, "Trouble using the card"),
        choice(card, prepaidSubs, "Fees or interest"),
      ],
      related: ["money-transfer", "debit-card"],
      sentences: [
        "I loaded {amount} onto my prepaid card and the balance shows zero.",
        "My prepaid card was [locked|suspended|frozen] and customer service will not unlock it.",
        "The gift card I received had no balance when I tried to use it.",
        "My unemployment benefits are loaded on a prepaid card and I cannot access them.",
        "They are charging a monthly fee of {fee} on the prepaid card.",
        "The prepaid card company requires me to verify my identity again and again.",
        "I cannot get a refund of the remaining balance on the prepaid card.",
        "[The|My] prepaid [card|account] [was closed|was suspended|was frozen] and the {amount} balance [was not returned|is gone].",
        "[I bought|I purchased|Someone gave me] a [gift card|prepaid card|reloadable card] [for|worth] {smallAmount} and [it never worked|it was declined].",
      ],
    },
  ],
};

const theftDispute: DepartmentSource = {
  name: "Theft/Dispute reporting",
  sentences: [
    "I did not authorize these transactions.",
    "I want the fraudulent charges removed and my money refunded.",
    "The claim was denied without any explanation.",
    "I filed a [claim|fraud claim|dispute] and was given claim number XXXX.",
    "They said their investigation found no error.",
    "This is fraud and I am the victim.",
    "I [filed|made] a police report and gave them the report number.",
    "I asked for the documents they used in their investigation and they refused.",
    "I never gave anyone permission to use my account.",
  ],
  subtopics: [
    {
      name: "fraudulent-charges",
      weight: 0.26,
      company: "cardIssuer",
      products: [
        choice(card, creditCardSubs, "Problem with a purchase shown on your statement", 3),
        choice(checking, checkingSubs, "Problem with a lender or other company charging your account"),
      ],
      related: ["annual-fee", "debit-card", "apr-interest"],
      sentences: [
        "There are {count} fraudulent charges on my {card} that I did not make.",
        "I noticed charges from {merchant} totaling {amount} that I did not authorize.",
        "I reported the fraud the same day and they closed the card and issued a new one.",
        "After their investigation they decided the charges were valid and rebilled me.",
        "I have never shopped at that merchant and I was at work when the charges happened.",
        "They said the transaction was made with the chip so it must have been me.",
        "The fraud department told me I am responsible for the charges.",
        "The card was in my possession the entire time the fraudulent charges were made.",
        "Someone used my card number online to buy {amount} worth of merchandise.",
        "[These|The] [charges|transactions] [were made|happened] [in another state|overseas|online] [while|when] I [was at home|had my card with me].",
        "[I|We] [did not recognize|never made] [the|these] {count} [charges|purchases] [totaling|for] {amount} [from|at] {merchant}.",
      ],
    },
    {
      name: "identity-theft",
      weight: 0.2,
      company: "bank",
      products: [
        choice(creditReporting, ["Credit reporting"], "Incorrect information on your report", 2),
        choice(card, creditCardSubs, "Getting a credit card"),
        choice(checking, checkingSubs, "Opening an account"),
      ],
      related: ["credit-reporting", "debt-collection"],
      sentences: [
        "Someone opened a {card} in my name using my Social Security number.",
        "I am a victim of identity theft and filed a report with the FTC and the police.",
        "The account was opened by an identity thief and I never applied for it.",
        "I sent a copy of the police report and the identity theft affidavit but they still say the account is mine.",
        "My personal information was stolen in a data breach.",
        "The thief changed my address and phone number on the account.",
        "I placed a fraud alert and a credit freeze with all three credit bureaus.",
        "Someone opened a checking account at {company} in my name and wrote bad checks.",
        "The identity thief used my name to apply for loans and credit cards.",
        "[An identity thief|Someone|A thief] [used|stole] my [Social Security number|personal information|identity] to [open|apply for] [a loan|a credit card|an account].",
        "[I have|I sent] [the|an] [FTC identity theft report|police report|identity theft affidavit] [to|with] {company} [twice|{count} times|several times].",
      ],
    },
    {
      name: "stolen-card",
      weight: 0.16,
      company: "bank",
      products: [
        choice(checking, checkingSubs, "Managing an account", 2),
        choice(card, creditCardSubs, "Problem with a purchase shown on your statement"),
      ],
      related: ["debit-card", "closed-account"],
      sentences: [
        "My wallet was stolen on {date} with my debit card and credit card in it.",
        "Before I could report the card stolen, the thief made {count} ATM withdrawals totaling {amount}.",
        "I reported the stolen card within {hours} hours of noticing it was gone.",
        "The bank denied my claim because they said there was no sign of fraud.",
        "My purse was stolen from my car and the thief used my cards at several stores.",
        "I gave the police case number to the bank but they still denied my claim.",
        "The thief knew my PIN because the bank's card was stolen together with my phone.",
        "They say the withdrawals were made with my card and PIN so I must have given them out.",
        "[My|The] [card|wallet|phone] was [stolen|taken|lost] [at|from] [the gym|my car|a restaurant|my house] and [used|it was used] [the same day|within hours].",
        "[The thief|Someone|The person who stole my card] [made|withdrew] {amount} [in purchases|in cash|in ATM withdrawals] [before|after] I [reported|called about] it.",
      ],
    },
    {
      name: "unauthorized-transfer",
      weight: 0.2,
      company: "bank",
      products: [
        choice(checking, checkingSubs, "Problem with a lender or other company charging your account", 2),
        choice(moneyTransfer, transferSubs, "Fraud or scam", 2),
      ],
      related: ["wire-transfer", "money-transfer", "closed-account"],
      sentences: [
        "Someone logged into my online banking and made an unauthorized transfer of {amount} out of my account.",
        "An unauthorized Zelle payment of {amount} was sent from my account to someone I do not know.",
        "I never authorized these electronic transfers and I did not share my password or code.",
        "The scammer called pretending to be from the {company} fraud department and got the verification code.",
        "Under Regulation E the bank is required to investigate and reimburse unauthorized electronic transfers.",
        "My account was drained and I have no money to pay my bills.",
        "The unauthorized withdrawals were made from a device I have never used.",
        "They said since the transfer went to a Zelle user they cannot get the money back.",
        "[Someone|A hacker|A scammer] [accessed|took over|got into] my [online banking|account|mobile banking] and [transferred|sent|took] {amount}.",
        "[I received|I got] a [text|call] [that looked like|from someone pretending to be] {company} and [my money was gone|the account was emptied] [minutes later|the same day].",
      ],
    },
    {
      name: "chargeback",
      weight: 0.18,
      company: "cardIssuer",
      products: [
        choice(card, creditCardSubs, "Problem with a purchase shown on your statement", 3),
        choice(checking, checkingSubs, "Managing an account"),
      ],
      related: ["rewards", "late-fee", "debit-card"],
      sentences: [
        "I disputed a charge of {amount} from {merchant} because the merchandise was never delivered.",
        "The merchant refused to give a refund, so I filed a dispute with {company}.",
        "{company} gave me a temporary credit and then reversed it after {days} days.",
        "I provided all the documentation, receipts and emails proving the item was returned.",
        "They closed my dispute in favor of the merchant without contacting me.",
        "The chargeback was denied because they said I filed it too late.",
        "I was charged twice for the same purchase and the dispute was denied.",
        "The merchant went out of business and I never received the service I paid for.",
        "I cancelled the subscription but the merchant kept charging my card every month.",
        "[The|This] [merchant|seller|company] never [delivered what I paid for|refunded me|provided the service] so I [disputed|filed a dispute for] the charge.",
        "[I|We] [returned|sent back] the [item|merchandise|product] [on|by] {date} and [have tracking|the merchant confirmed it] but the dispute was [denied|closed].",
      ],
    },
  ],
};

const mortgagesLoans: DepartmentSource = {
  name: "Mortgages/loans",
  sentences: [
    "My [mortgage|loan] number is XXXX.",
    "I have owned my home for {years} years.",
    "My monthly [mortgage|loan] payment is {payment}.",
    "The loan servicer does not answer my letters.",
    "I sent a qualified written request to {company} on {date}.",
    "I am afraid [we|my family] will lose our home.",
    "The loan documents I signed say something different.",
    "The principal balance on my loan statement is wrong.",
  ],
  subtopics: [
    {
      name: "escrow",
      weight: 0.18,
      company: "mortgageServicer",
      products: [choice(mortgage, mortgageSubs, "Trouble during payment process")],
      related: ["overdraft", "wire-transfer"],
      sentences: [
        "My escrow account shows a shortage of {amount} and my monthly mortgage payment went up by {smallAmount}.",
        "{company} paid my homeowners insurance twice out of escrow.",
        "{company} failed to pay my property taxes from escrow and now the county is charging penalties.",
        "They force placed insurance on my home even though I sent proof of coverage.",
        "The escrow analysis is wrong and they will not explain how they calculated it.",
        "I paid the escrow shortage in full but my mortgage payment still increased.",
        "I asked for my escrow refund after the loan was paid off and never received it.",
        "[My|The] [escrow|escrow account|escrow balance] [was|is] [miscalculated|short|overdrawn] and [my payment|the payment] [increased|went up] to {payment}.",
        "[They|{company}] [did not pay|paid late|never paid] [my|the] [homeowners insurance|property taxes|flood insurance] [and|so] [my policy was canceled|I was charged a penalty].",
      ],
    },
    {
      name: "foreclosure",
      weight: 0.15,
      company: "mortgageServicer",
      products: [choice(mortgage, mortgageSubs, "Struggling to pay mortgage")],
      related: ["debt-collection", "credit-reporting"],
      sentences: [
        "{company} started foreclosure on my home while I was waiting for a decision on my loss mitigation application.",
        "I received a notice of foreclosure sale scheduled for {date}.",
        "They are dual tracking me by foreclosing while reviewing my application.",
        "I fell behind on my mortgage payments after I lost my job and I want to keep my home.",
        "They charged {amount} in foreclosure fees and attorney fees to my loan.",
        "The foreclosure attorney will not accept my reinstatement payment.",
        "They sold my house at a foreclosure auction without notifying me.",
        "[They|{company}] [scheduled|set] a [foreclosure sale|sale date] [on|for] my [home|house|property] [while|even though] [my application was under review|I was making payments].",
        "[I|We] [have lived|have been living] in [this|our] [home|house] for {years} years and [are about to|could] lose it to foreclosure.",
      ],
    },
    {
      name: "modification",
      weight: 0.17,
      company: "mortgageServicer",
      products: [choice(mortgage, mortgageSubs, "Struggling to pay mortgage")],
      related: ["credit-reporting", "student-loan"],
      sentences: [
        "I applied for a loan modification and sent every document they requested.",
        "They keep telling me my modification application is incomplete and ask for the same documents again.",
        "I completed a trial payment plan of {count} payments of {payment} and they still denied the permanent modification.",
        "The loan modification added {amount} to my principal balance.",
        "My single point of contact changed {count} times in a few months.",
        "I was in a COVID forbearance on my mortgage and they want a lump sum when it ends.",
        "They denied the modification because of an investor restriction they will not explain.",
        "I [submitted|sent|faxed] my [loan modification|loss mitigation|hardship] [application|package|documents] {count} times.",
        "[My trial payments were|The trial payment plan was] [accepted|received] but my loan was never [modified|permanently modified].",
      ],
    },
    {
      name: "refinancing",
      weight: 0.13,
      company: "mortgageServicer",
      products: [
        choice(mortgage, mortgageSubs, "Applying for a mortgage or refinancing an existing mortgage", 2),
        choice(mortgage, mortgageSubs, "Closing on a mortgage"),
      ],
      related: ["wire-transfer", "credit-reporting"],
      sentences: [
        "I applied to refinance my mortgage at {rate} and the lender delayed closing until the rate lock expired.",
        "They charged an appraisal fee of {fee} and then canceled my refinance.",
        "The closing costs on the refinance were {amount} more than the loan estimate.",
        "The lender never sent the closing disclosure on time.",
        "My interest rate changed at closing from {rate} to {rate}.",
        "The loan officer promised a lower mortgage rate and then stopped returning my calls.",
        "[The|My] [refinance|refinancing|loan] [application|closing] was [delayed|canceled|pushed back] [for|by] {days} days [and|so] I lost my rate lock.",
        "[The|My] [loan officer|lender|mortgage broker] [promised|quoted] a rate of {rate} and [changed it|raised it] [at closing|the day before closing].",
      ],
    },
    {
      name: "payment-servicing",
      weight: 0.17,
      company: "mortgageServicer",
      products: [choice(mortgage, mortgageSubs, "Trouble during payment process")],
      related: ["wire-transfer", "overdraft", "late-fee"],
      sentences: [
        "I made my mortgage payment of {payment} on {date} and it was not applied to my loan.",
        "My loan was transferred to a new servicer, {company}, and my payments went to the old servicer.",
        "They put my payment in a suspense account and charged me a late fee.",
        "The extra money I paid toward principal was applied to interest instead.",
        "My mortgage payment is drafted from my checking account at {bank} every month.",
        "They reported me late on my mortgage even though the payment was made on time.",
        "The payoff statement they sent me includes fees I never agreed to.",
        "[My|The] [mortgage|loan] payment [was|has been] [returned|misapplied|sent back] and [they|{company}] [charged|assessed] a late fee of {fee}.",
        "[They|{company}] [said|claim] [they|the servicer] [never received|did not receive] [my|the] payment [even though|but] [my bank shows it cleared|I have the receipt].",
      ],
    },
    {
      name: "auto-loan",
      weight: 0.13,
      company: "lender",
      products: [
        choice(vehicle, ["Loan", "Loan", "Lease"], "Managing the loan or lease", 2),
        choice(vehicle, ["Loan"], "Repossession"),
      ],
      related: ["debt-collection", "credit-reporting"],
      sentences: [
        "I financed a car through {company} with a monthly payment of {payment}.",
        "My car was repossessed even though I was only {days} days behind.",
        "They added GAP insurance and an extended warranty to my auto loan without my consent.",
        "I paid off my auto loan on {date} and they still have not sent the title.",
        "The dealer changed the terms of my vehicle loan after I signed.",
        "They charged me {fee} to make a car payment over the phone.",
        "The vehicle was sold at auction and now they want a deficiency balance of {amount}.",
        "[My|The] [car|vehicle|truck] was [repossessed|towed] [from|at] [my job|my home|work] [without|with no] [notice|warning].",
        "[The|My] [auto loan|car loan|vehicle loan] [balance|payoff] [is|was] {amount} [higher|more] than [it should be|what the contract says].",
      ],
    },
    {
      name: "personal-loan",
      weight: 0.07,
      company: "lender",
      products: [
        choice(
          personalLoan,
          ["Installment loan", "Payday loan", "Personal line of credit"],
          "Charged fees or interest you didn't expect",
        ),
      ],
      related: ["overdraft", "debt-collection"],
      sentences: [
        "I took out a personal loan of {amount} and the interest rate is {apr}.",
        "The payday lender keeps withdrawing from my bank account after I revoked authorization.",
        "My installment loan payments are being applied mostly to interest.",
        "The loan was renewed without my permission and new fees were added.",
        "[The|This] [lender|loan company] [charges|is charging] an APR of {apr} [on|for] a {amount} [loan|installment loan].",
        "[They|The lender] [keep|kept] [debiting|taking money from] my [checking account|bank account] [every two weeks|on payday].",
      ],
    },
  ],
};

const others: DepartmentSource = {
  name: "Others",
  sentences: [
    "I have sent several letters by certified mail.",
    "I am aware of my rights under federal law.",
    "I have kept copies of all my letters and their responses.",
    "This is affecting my ability to get a [loan|car|apartment|job].",
  ],
  subtopics: [
    {
      name: "debt-collection",
      weight: 0.3,
      company: "collector",
      products: [
        choice(
          debtCollection,
          ["I do not know", "Other debt", "Credit card debt", "Medical debt"],
          "Attempts to collect debt not owed",
          2,
        ),
        choice(debtCollection, ["I do not know", "Other debt", "Medical debt"], "Communication tactics"),
        choice(debtCollection, ["Other debt", "Credit card debt"], "Written notification about debt"),
      ],
      related: ["late-fee", "identity-theft", "auto-loan"],
      sentences: [
        "{company} keeps calling me about a debt that I do not owe.",
        "They call me {count} times a day, and they called my employer.",
        "I sent a debt validation letter and they never validated the debt.",
        "The debt is more than {years} years old and past the statute of limitations.",
        "The collection agency is trying to collect {amount} for a medical bill that my insurance paid.",
        "They threatened to sue me and garnish my wages if I did not pay today.",
        "They added a collection account to my credit report without sending any notice.",
        "The debt they are collecting is from an old credit card that was charged off.",
        "Under the FDCPA they must stop contacting me.",
        "The debt collector refused to give me the name of the original creditor.",
        "[They|The collector|{company}] [sent|mailed] [me|a letter] [saying|claiming] I owe {amount} [to|for] [a debt|an account] [I do not recognize|that is not mine].",
        "[The|This] [debt|collection] [was|had been] [paid|settled|discharged in bankruptcy] [years ago|in {year}] [and|but] they [keep|are still] [trying to collect|calling].",
      ],
    },
    {
      name: "credit-reporting",
      weight: 0.35,
      company: "bureau",
      products: [
        choice(creditReporting, ["Credit reporting"], "Incorrect information on your report", 3),
        choice(
          creditReporting,
          ["Credit reporting"],
          "Problem with a credit reporting company's investigation into an existing problem",
          2,
        ),
        choice(
          creditReporting,
          ["Credit reporting", "Other personal consumer report"],
          "Improper use of your report",
        ),
      ],
      related: ["identity-theft", "late-fee", "foreclosure"],
      sentences: [
        "{company} is reporting inaccurate information on my credit report.",
        "I disputed the account with all three credit bureaus and they verified it without any investigation.",
        "There are hard inquiries on my credit report that I did not authorize.",
        "The late payments reported are not mine and are hurting my credit score.",
        "Under the Fair Credit Reporting Act, section 611, they must conduct a reasonable investigation.",
        "My credit score dropped {count} points because of this error.",
        "The account shows a balance of {amount} on my credit report but it was paid in full.",
        "They have my name, address and date of birth wrong on my credit file.",
        "I requested the method of verification from {bureau} and never received it.",
        "Accounts that do not belong to me are still on my {bureau} report.",
        "[The|My] [credit report|credit file|consumer report] [shows|lists] [an account|a collection|late payments] [that|which] [does not belong to me|I never opened|is not mine].",
        "[I|We] [disputed|have disputed] [this|the] [information|account|error] [with|to] {bureau} [{count} times|several times|since {date}] [without|with no] [result|correction].",
      ],
    },
    {
      name: "money-transfer",
      weight: 0.18,
      company: "transferApp",
      products: [
        choice(moneyTransfer, transferSubs, "Fraud or scam", 2),
        choice(moneyTransfer, transferSubs, "Money was not available when promised"),
        choice(
          moneyTransfer,
          ["Mobile or digital wallet", "Virtual currency"],
          "Managing, opening, or closing your mobile wallet account",
        ),
      ],
      related: ["unauthorized-transfer", "wire-transfer", "chargeback"],
      sentences: [
        "I sent {amount} with {company} to pay for an item and the seller never sent it.",
        "{company} froze my account and is holding my balance of {amount} for 180 days.",
        "The money transfer to my family in another country never arrived.",
        "I was the victim of a scam and {company} refused to help.",
        "The recipient never received the money and {company} says the transfer was completed.",
        "They limited my account and I cannot withdraw my funds to my bank account.",
        "I bought cryptocurrency on {company} and cannot withdraw it.",
        "The app shows the transfer as pending for {days} days.",
        "[I|We] [sent|transferred] {amount} [through|using|with] {company} [to|for] [a seller|a landlord|a family member] and [it never arrived|the money disappeared].",
        "[My|The] {company} [account|balance|wallet] [was|has been] [frozen|limited|locked] [for {days} days|since {date}] [with|and] {amount} [in it|on hold].",
      ],
    },
    {
      name: "student-loan",
      weight: 0.17,
      company: "studentServicer",
      products: [
        choice(studentLoan, ["Federal student loan servicing"], "Dealing with your lender or servicer", 2),
        choice(
          studentLoan,
          ["Private student loan", "Federal student loan servicing"],
          "Struggling to repay your loan",
        ),
      ],
      related: ["modification", "payment-servicing", "late-fee"],
      sentences: [
        "{company} services my federal student loans.",
        "I have made {count} years of qualifying payments toward Public Service Loan Forgiveness and they say I have fewer.",
        "They put my student loans in forbearance without asking me and the interest was capitalized.",
        "My income driven repayment application was lost {count} times.",
        "They applied my extra payment to the student loan with the lowest interest rate.",
        "My student loan payment was increased to {payment} a month, which I cannot afford.",
        "My student loans were transferred to a new servicer and my payment history is wrong.",
        "I was told my student loans would be discharged but they are still billing me.",
        "[My student loan servicer|{company}] [lost|misplaced|did not process] my [paperwork|application|forms] for [income driven repayment|loan forgiveness|deferment].",
        "[They|{company}] [say|claim] I [owe|still owe] {amount} [on|for] [my student loans|loans that should have been forgiven].",
      ],
    },
  ],
};

export const departmentSources: readonly DepartmentSource[] = [
  bankAccount,
  creditCard,
  theftDispute,
  mortgagesLoans,
  others,
];

/** All products a consumer can pick in the form, for the share of complaints filed under the wrong one. */
export const allProducts: readonly ProductChoice[] = [
  choice(checking, checkingSubs, "Managing an account"),
  choice(card, creditCardSubs, "Other features, terms, or problems"),
  choice(mortgage, mortgageSubs, "Trouble during payment process"),
  choice(vehicle, ["Loan"], "Managing the loan or lease"),
  choice(personalLoan, ["Installment loan"], "Struggling to pay your loan"),
  choice(studentLoan, ["Federal student loan servicing"], "Dealing with your lender or servicer"),
  choice(debtCollection, ["I do not know"], "Attempts to collect debt not owed"),
  choice(creditReporting, ["Credit reporting"], "Incorrect information on your report"),
  choice(moneyTransfer, transferSubs, "Other transaction problem"),
];
