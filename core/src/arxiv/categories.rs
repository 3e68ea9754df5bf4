//! arXiv's category taxonomy, shipped as data: the archives (`cs`, `math`, `quant-ph`, …) and the
//! categories inside them (`cs.CV`, `math.OC`, `physics.optics`, …), as listed on arXiv's
//! category taxonomy page (<https://arxiv.org/category_taxonomy>).
//!
//! Both the allowed-category setting ([`super::filter::CategoryFilter`]) and a topic's categories
//! accept a name from here and refuse any other with a message, so a typo is caught when it is
//! typed rather than silently matching nothing. Typed names are looked up ignoring case
//! (`CS.cv` is `cs.CV`); what is kept is arXiv's own spelling, which is what papers carry.

use serde::{Deserialize, Serialize};
use std::fmt;

/// arXiv's archives, with their names. An archive without a `.` subject of its own (`gr-qc`,
/// `quant-ph`, …) is also the category its papers carry.
pub const ARCHIVES: [(&str, &str); 20] = [
    ("astro-ph", "Astrophysics"),
    ("cond-mat", "Condensed Matter"),
    ("cs", "Computer Science"),
    ("econ", "Economics"),
    ("eess", "Electrical Engineering and Systems Science"),
    ("gr-qc", "General Relativity and Quantum Cosmology"),
    ("hep-ex", "High Energy Physics - Experiment"),
    ("hep-lat", "High Energy Physics - Lattice"),
    ("hep-ph", "High Energy Physics - Phenomenology"),
    ("hep-th", "High Energy Physics - Theory"),
    ("math", "Mathematics"),
    ("math-ph", "Mathematical Physics"),
    ("nlin", "Nonlinear Sciences"),
    ("nucl-ex", "Nuclear Experiment"),
    ("nucl-th", "Nuclear Theory"),
    ("physics", "Physics"),
    ("q-bio", "Quantitative Biology"),
    ("q-fin", "Quantitative Finance"),
    ("quant-ph", "Quantum Physics"),
    ("stat", "Statistics"),
];

/// Every `archive.SUBJECT` category, with its name, grouped by archive.
pub const CATEGORIES: [(&str, &str); 146] = [
    ("astro-ph.CO", "Cosmology and Nongalactic Astrophysics"),
    ("astro-ph.EP", "Earth and Planetary Astrophysics"),
    ("astro-ph.GA", "Astrophysics of Galaxies"),
    ("astro-ph.HE", "High Energy Astrophysical Phenomena"),
    (
        "astro-ph.IM",
        "Instrumentation and Methods for Astrophysics",
    ),
    ("astro-ph.SR", "Solar and Stellar Astrophysics"),
    ("cond-mat.dis-nn", "Disordered Systems and Neural Networks"),
    ("cond-mat.mes-hall", "Mesoscale and Nanoscale Physics"),
    ("cond-mat.mtrl-sci", "Materials Science"),
    ("cond-mat.other", "Other Condensed Matter"),
    ("cond-mat.quant-gas", "Quantum Gases"),
    ("cond-mat.soft", "Soft Condensed Matter"),
    ("cond-mat.stat-mech", "Statistical Mechanics"),
    ("cond-mat.str-el", "Strongly Correlated Electrons"),
    ("cond-mat.supr-con", "Superconductivity"),
    ("cs.AI", "Artificial Intelligence"),
    ("cs.AR", "Hardware Architecture"),
    ("cs.CC", "Computational Complexity"),
    ("cs.CE", "Computational Engineering, Finance, and Science"),
    ("cs.CG", "Computational Geometry"),
    ("cs.CL", "Computation and Language"),
    ("cs.CR", "Cryptography and Security"),
    ("cs.CV", "Computer Vision and Pattern Recognition"),
    ("cs.CY", "Computers and Society"),
    ("cs.DB", "Databases"),
    ("cs.DC", "Distributed, Parallel, and Cluster Computing"),
    ("cs.DL", "Digital Libraries"),
    ("cs.DM", "Discrete Mathematics"),
    ("cs.DS", "Data Structures and Algorithms"),
    ("cs.ET", "Emerging Technologies"),
    ("cs.FL", "Formal Languages and Automata Theory"),
    ("cs.GL", "General Literature"),
    ("cs.GR", "Graphics"),
    ("cs.GT", "Computer Science and Game Theory"),
    ("cs.HC", "Human-Computer Interaction"),
    ("cs.IR", "Information Retrieval"),
    ("cs.IT", "Information Theory"),
    ("cs.LG", "Machine Learning"),
    ("cs.LO", "Logic in Computer Science"),
    ("cs.MA", "Multiagent Systems"),
    ("cs.MM", "Multimedia"),
    ("cs.MS", "Mathematical Software"),
    ("cs.NA", "Numerical Analysis"),
    ("cs.NE", "Neural and Evolutionary Computing"),
    ("cs.NI", "Networking and Internet Architecture"),
    ("cs.OH", "Other Computer Science"),
    ("cs.OS", "Operating Systems"),
    ("cs.PF", "Performance"),
    ("cs.PL", "Programming Languages"),
    ("cs.RO", "Robotics"),
    ("cs.SC", "Symbolic Computation"),
    ("cs.SD", "Sound"),
    ("cs.SE", "Software Engineering"),
    ("cs.SI", "Social and Information Networks"),
    ("cs.SY", "Systems and Control"),
    ("econ.EM", "Econometrics"),
    ("econ.GN", "General Economics"),
    ("econ.TH", "Theoretical Economics"),
    ("eess.AS", "Audio and Speech Processing"),
    ("eess.IV", "Image and Video Processing"),
    ("eess.SP", "Signal Processing"),
    ("eess.SY", "Systems and Control"),
    ("math.AC", "Commutative Algebra"),
    ("math.AG", "Algebraic Geometry"),
    ("math.AP", "Analysis of PDEs"),
    ("math.AT", "Algebraic Topology"),
    ("math.CA", "Classical Analysis and ODEs"),
    ("math.CO", "Combinatorics"),
    ("math.CT", "Category Theory"),
    ("math.CV", "Complex Variables"),
    ("math.DG", "Differential Geometry"),
    ("math.DS", "Dynamical Systems"),
    ("math.FA", "Functional Analysis"),
    ("math.GM", "General Mathematics"),
    ("math.GN", "General Topology"),
    ("math.GR", "Group Theory"),
    ("math.GT", "Geometric Topology"),
    ("math.HO", "History and Overview"),
    ("math.IT", "Information Theory"),
    ("math.KT", "K-Theory and Homology"),
    ("math.LO", "Logic"),
    ("math.MG", "Metric Geometry"),
    ("math.MP", "Mathematical Physics"),
    ("math.NA", "Numerical Analysis"),
    ("math.NT", "Number Theory"),
    ("math.OA", "Operator Algebras"),
    ("math.OC", "Optimization and Control"),
    ("math.PR", "Probability"),
    ("math.QA", "Quantum Algebra"),
    ("math.RA", "Rings and Algebras"),
    ("math.RT", "Representation Theory"),
    ("math.SG", "Symplectic Geometry"),
    ("math.SP", "Spectral Theory"),
    ("math.ST", "Statistics Theory"),
    ("nlin.AO", "Adaptation and Self-Organizing Systems"),
    ("nlin.CD", "Chaotic Dynamics"),
    ("nlin.CG", "Cellular Automata and Lattice Gases"),
    ("nlin.PS", "Pattern Formation and Solitons"),
    ("nlin.SI", "Exactly Solvable and Integrable Systems"),
    ("physics.acc-ph", "Accelerator Physics"),
    ("physics.ao-ph", "Atmospheric and Oceanic Physics"),
    ("physics.app-ph", "Applied Physics"),
    ("physics.atm-clus", "Atomic and Molecular Clusters"),
    ("physics.atom-ph", "Atomic Physics"),
    ("physics.bio-ph", "Biological Physics"),
    ("physics.chem-ph", "Chemical Physics"),
    ("physics.class-ph", "Classical Physics"),
    ("physics.comp-ph", "Computational Physics"),
    (
        "physics.data-an",
        "Data Analysis, Statistics and Probability",
    ),
    ("physics.ed-ph", "Physics Education"),
    ("physics.flu-dyn", "Fluid Dynamics"),
    ("physics.gen-ph", "General Physics"),
    ("physics.geo-ph", "Geophysics"),
    ("physics.hist-ph", "History and Philosophy of Physics"),
    ("physics.ins-det", "Instrumentation and Detectors"),
    ("physics.med-ph", "Medical Physics"),
    ("physics.optics", "Optics"),
    ("physics.plasm-ph", "Plasma Physics"),
    ("physics.pop-ph", "Popular Physics"),
    ("physics.soc-ph", "Physics and Society"),
    ("physics.space-ph", "Space Physics"),
    ("q-bio.BM", "Biomolecules"),
    ("q-bio.CB", "Cell Behavior"),
    ("q-bio.GN", "Genomics"),
    ("q-bio.MN", "Molecular Networks"),
    ("q-bio.NC", "Neurons and Cognition"),
    ("q-bio.OT", "Other Quantitative Biology"),
    ("q-bio.PE", "Populations and Evolution"),
    ("q-bio.QM", "Quantitative Methods"),
    ("q-bio.SC", "Subcellular Processes"),
    ("q-bio.TO", "Tissues and Organs"),
    ("q-fin.CP", "Computational Finance"),
    ("q-fin.EC", "Economics"),
    ("q-fin.GN", "General Finance"),
    ("q-fin.MF", "Mathematical Finance"),
    ("q-fin.PM", "Portfolio Management"),
    ("q-fin.PR", "Pricing of Securities"),
    ("q-fin.RM", "Risk Management"),
    ("q-fin.ST", "Statistical Finance"),
    ("q-fin.TR", "Trading and Market Microstructure"),
    ("stat.AP", "Applications"),
    ("stat.CO", "Computation"),
    ("stat.ME", "Methodology"),
    ("stat.ML", "Machine Learning"),
    ("stat.OT", "Other Statistics"),
    ("stat.TH", "Statistics Theory"),
];

/// A name from arXiv's taxonomy, in arXiv's spelling: an archive (`cs`, `quant-ph`) or a
/// category (`cs.CV`). Serialised as that text; reading it back checks it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Category(&'static str);

/// Why a typed category name was refused; the text is shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CategoryError {
    /// Neither an archive nor a category arXiv has.
    Unknown(String),
    /// The archive exists but has no such subject (`cs.XY`): the message lists the ones it has.
    UnknownSubject {
        given: String,
        archive: &'static str,
    },
}

impl fmt::Display for CategoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CategoryError::Unknown(given) => write!(
                f,
                "\u{201c}{given}\u{201d} is not an arXiv archive or category; use names like cs, stat, cs.CV or math.OC."
            ),
            CategoryError::UnknownSubject { given, archive } => {
                let subjects: Vec<&str> = categories_of(archive).map(|c| c.as_str()).collect();
                write!(
                    f,
                    "\u{201c}{given}\u{201d} is not an arXiv category; {archive} has {}.",
                    subjects.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for CategoryError {}

impl Category {
    /// Looks a typed name up in the taxonomy, ignoring case and surrounding space.
    pub fn parse(raw: &str) -> Result<Category, CategoryError> {
        let given = raw.trim();
        let known = |list: &[(&'static str, &'static str)]| {
            list.iter()
                .map(|(id, _)| *id)
                .find(|id| id.eq_ignore_ascii_case(given))
        };
        if let Some(id) = known(&ARCHIVES).or_else(|| known(&CATEGORIES)) {
            return Ok(Category(id));
        }
        // `cs.XY`: the archive exists, the subject does not; say which subjects it has.
        let archive = given
            .split_once('.')
            .and_then(|(archive, _)| {
                ARCHIVES
                    .iter()
                    .map(|(id, _)| *id)
                    .find(|id| id.eq_ignore_ascii_case(archive))
            })
            .filter(|archive| categories_of(archive).next().is_some());
        Err(match archive {
            Some(archive) => CategoryError::UnknownSubject {
                given: given.to_owned(),
                archive,
            },
            None => CategoryError::Unknown(given.to_owned()),
        })
    }

    /// arXiv's spelling: `cs`, `cs.CV`, `quant-ph`.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// True for an archive (`cs`, `quant-ph`), false for a category inside one (`cs.CV`).
    pub fn is_archive(self) -> bool {
        !self.0.contains('.')
    }

    /// The archive's or category's name on arXiv's taxonomy page ("Computer Vision and Pattern
    /// Recognition"), for a hint next to the field.
    pub fn title(self) -> &'static str {
        ARCHIVES
            .iter()
            .chain(CATEGORIES.iter())
            .find(|(id, _)| *id == self.0)
            .map_or("", |(_, title)| title)
    }

    /// Whether a paper's category (as the feed gives it) falls under this one: an archive covers
    /// every category whose part before the first `.` is the archive (`cs` covers `cs.CV`;
    /// `quant-ph` covers `quant-ph`), a category covers exactly itself. Case matters, as in
    /// arXiv's own names.
    pub fn covers(self, paper_category: &str) -> bool {
        if self.is_archive() {
            paper_category.split('.').next() == Some(self.0)
        } else {
            paper_category == self.0
        }
    }

    /// The archive's categories, if it is one that has them (`cs` has `cs.AI` … `cs.SY`;
    /// `quant-ph` has none).
    pub fn has_subjects(self) -> bool {
        self.is_archive() && categories_of(self.0).next().is_some()
    }
}

/// The categories of an archive, in the taxonomy's order.
pub fn categories_of(archive: &str) -> impl Iterator<Item = Category> + '_ {
    CATEGORIES
        .iter()
        .filter(move |(id, _)| id.split('.').next() == Some(archive))
        .map(|(id, _)| Category(id))
}

/// Every archive and category, archives first: the list an editor can offer as suggestions.
pub fn all() -> impl Iterator<Item = Category> {
    ARCHIVES
        .iter()
        .chain(CATEGORIES.iter())
        .map(|(id, _)| Category(id))
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl TryFrom<String> for Category {
    type Error = CategoryError;
    fn try_from(raw: String) -> Result<Category, CategoryError> {
        Category::parse(&raw)
    }
}

impl From<Category> for String {
    fn from(category: Category) -> String {
        category.0.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_and_categories_are_accepted_in_arxivs_spelling() {
        assert_eq!(Category::parse("cs").unwrap().as_str(), "cs");
        assert_eq!(Category::parse(" CS.cv ").unwrap().as_str(), "cs.CV");
        assert_eq!(Category::parse("quant-ph").unwrap().as_str(), "quant-ph");
        assert_eq!(
            Category::parse("physics.optics").unwrap().as_str(),
            "physics.optics"
        );
        assert_eq!(
            Category::parse("cond-mat.stat-mech").unwrap().as_str(),
            "cond-mat.stat-mech"
        );
        assert!(Category::parse("cs").unwrap().is_archive());
        assert!(!Category::parse("cs.CV").unwrap().is_archive());
        assert_eq!(
            Category::parse("cs.CV").unwrap().title(),
            "Computer Vision and Pattern Recognition"
        );
    }

    #[test]
    fn names_arxiv_does_not_have_are_refused_with_a_hint() {
        for bad in ["zzz", "", "c s", "cs;", "*", "csx.AI", "quant-ph.XX"] {
            assert_eq!(
                Category::parse(bad),
                Err(CategoryError::Unknown(bad.trim().to_owned())),
                "{bad:?}"
            );
        }
        assert!(matches!(
            Category::parse("cs."),
            Err(CategoryError::UnknownSubject { archive: "cs", .. })
        ));
        let error = Category::parse("stat.XY").unwrap_err();
        assert_eq!(
            error,
            CategoryError::UnknownSubject {
                given: "stat.XY".into(),
                archive: "stat"
            }
        );
        assert_eq!(
            error.to_string(),
            "\u{201c}stat.XY\u{201d} is not an arXiv category; stat has stat.AP, stat.CO, stat.ME, stat.ML, stat.OT, stat.TH."
        );
        assert_eq!(
            Category::parse("zzz").unwrap_err().to_string(),
            "\u{201c}zzz\u{201d} is not an arXiv archive or category; use names like cs, stat, cs.CV or math.OC."
        );
    }

    #[test]
    fn an_archive_covers_its_categories_and_a_category_only_itself() {
        let cs = Category::parse("cs").unwrap();
        assert!(cs.covers("cs.CV") && cs.covers("cs.LG") && cs.covers("cs"));
        assert!(!cs.covers("csx.AI") && !cs.covers("CS.CV") && !cs.covers("econ.EM"));
        let cv = Category::parse("cs.CV").unwrap();
        assert!(cv.covers("cs.CV"));
        assert!(!cv.covers("cs.CVX") && !cv.covers("cs.LG") && !cv.covers("cs"));
        let qp = Category::parse("quant-ph").unwrap();
        assert!(qp.covers("quant-ph") && !qp.covers("quant-phx"));
    }

    #[test]
    fn the_taxonomy_is_consistent() {
        // Every category belongs to a listed archive, no name is listed twice, and no two
        // differ only in case (the case-insensitive lookup would be ambiguous).
        let names: Vec<&str> = all().map(Category::as_str).collect();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert!(!a.eq_ignore_ascii_case(b), "{a} and {b}");
            }
        }
        for (id, title) in CATEGORIES {
            let archive = id.split('.').next().unwrap();
            assert!(ARCHIVES.iter().any(|(a, _)| *a == archive), "{id}");
            assert!(!title.is_empty());
        }
        let subjects = |a| categories_of(a).count();
        assert_eq!(subjects("cs"), 40);
        assert_eq!(subjects("math"), 32);
        assert_eq!(subjects("physics"), 22);
        assert_eq!(subjects("stat"), 6);
        assert_eq!(subjects("quant-ph"), 0);
        assert!(Category::parse("cs").unwrap().has_subjects());
        assert!(!Category::parse("hep-th").unwrap().has_subjects());
    }

    #[test]
    fn serde_form_is_the_name() {
        let cv = Category::parse("cs.CV").unwrap();
        assert_eq!(String::from(cv), "cs.CV");
        assert_eq!(Category::try_from("cs.cv".to_owned()), Ok(cv));
        assert!(Category::try_from("cs.XY".to_owned()).is_err());
    }
}
