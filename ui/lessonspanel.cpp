#include "ui/lessonspanel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace cqrs::ui {

LessonsPanel::LessonsPanel(LessonCatalog catalog, QWidget* parent)
    : QWidget(parent)
    , m_catalog(std::move(catalog)) {
    auto* layout = new QVBoxLayout(this);

    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::PlainText);
    m_problems->setAccessibleName(tr("Lesson file problems"));
    m_problems->setStyleSheet(QStringLiteral("color: #b00020;"));
    QStringList problems;
    for (const LessonProblem& problem : m_catalog.problems)
        problems.append(problem.text());
    m_problems->setText(problems.isEmpty()
                            ? QString()
                            : tr("Some lesson files could not be read:\n%1").arg(problems.join(u'\n')));
    m_problems->setVisible(!problems.isEmpty());
    layout->addWidget(m_problems);

    auto* navigation = new QHBoxLayout;
    m_back = new QPushButton(tr("‹ Back"), this);
    m_back->setAccessibleName(tr("Previous lesson"));
    m_back->setToolTip(tr("The previous lesson (Page Up)"));
    m_picker = new QComboBox(this);
    m_picker->setAccessibleName(tr("Lesson"));
    m_next = new QPushButton(tr("Ne&xt ›"), this);
    m_next->setAccessibleName(tr("Next lesson"));
    m_next->setToolTip(tr("The next lesson (Page Down)"));
    navigation->addWidget(m_back);
    navigation->addWidget(m_picker, 1);
    navigation->addWidget(m_next);
    layout->addLayout(navigation);

    m_title = new QLabel(this);
    m_title->setAccessibleName(tr("Lesson title"));
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);

    m_body = new QTextBrowser(this);
    m_body->setAccessibleName(tr("Lesson text"));
    m_body->setOpenLinks(false);
    layout->addWidget(m_body, 1);

    m_setup = new QPushButton(tr("&Set up this lesson"), this);
    m_setup->setAccessibleName(tr("Set up"));
    m_setup->setToolTip(tr("Puts every knob where this lesson needs it"));
    layout->addWidget(m_setup);

    m_check = new QLabel(this);
    m_check->setAccessibleName(tr("Lesson check"));
    m_check->setWordWrap(true);
    m_check->setTextFormat(Qt::PlainText);
    m_check->setFrameShape(QFrame::StyledPanel);
    m_check->setMargin(6);
    m_check->setMinimumHeight(m_check->fontMetrics().lineSpacing() * 3 + 12);
    m_check->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_check);

    m_seen = QList<bool>(m_catalog.lessons.size(), false);
    for (const Lesson& lesson : m_catalog.lessons)
        m_picker->addItem(pickerText(lesson, false), lesson.number);
    if (m_catalog.lessons.isEmpty()) {
        m_picker->addItem(tr("No lesson could be read"));
        m_picker->setEnabled(false);
        m_setup->setEnabled(false);
        m_back->setEnabled(false);
        m_next->setEnabled(false);
    }

    connect(m_picker, &QComboBox::activated, this, [this](int index) { showIndex(index); });
    connect(m_back, &QPushButton::clicked, this, &LessonsPanel::previous);
    connect(m_next, &QPushButton::clicked, this, &LessonsPanel::next);
    connect(m_setup, &QPushButton::clicked, this, [this] {
        if (const Lesson* lesson = current())
            Q_EMIT setupRequested(*lesson);
    });
}

QString LessonsPanel::pickerText(const Lesson& lesson, bool seen) const {
    return seen ? tr("%1. %2  ✓").arg(lesson.number).arg(lesson.title)
                : tr("%1. %2").arg(lesson.number).arg(lesson.title);
}

const Lesson* LessonsPanel::current() const {
    const int index = m_picker->currentIndex();
    return index >= 0 && index < m_catalog.lessons.size() ? &m_catalog.lessons.at(index) : nullptr;
}

void LessonsPanel::showLesson(int number) {
    const qsizetype index = m_catalog.indexOf(number);
    showIndex(index < 0 ? 0 : int(index));
}

void LessonsPanel::next() {
    if (m_picker->currentIndex() + 1 < m_catalog.lessons.size())
        showIndex(m_picker->currentIndex() + 1);
}

void LessonsPanel::previous() {
    if (m_picker->currentIndex() > 0)
        showIndex(m_picker->currentIndex() - 1);
}

void LessonsPanel::showIndex(int index) {
    if (index < 0 || index >= m_catalog.lessons.size())
        return;
    m_picker->setCurrentIndex(index);
    const Lesson& lesson = m_catalog.lessons.at(index);
    m_title->setText(lesson.title);
    m_body->setMarkdown(lesson.explanation + tr("\n\n### What to do\n\n") + lesson.todo +
                        tr("\n\n### What to watch\n\n") + lesson.watch + u'\n');
    m_back->setEnabled(index > 0);
    m_next->setEnabled(index + 1 < m_catalog.lessons.size());
    Q_EMIT lessonChosen(lesson);
}

void LessonsPanel::setCheckText(const QString& text, bool seen) {
    if (m_check->text() != text) {
        m_check->setText(text);
        m_check->setAccessibleDescription(text);
    }
    if (seen == m_checkSeen)
        return;
    m_checkSeen = seen;
    m_check->setStyleSheet(seen ? QStringLiteral("background: #e3f4e1; color: #14501a;")
                                : QString());
}

QString LessonsPanel::checkText() const {
    return m_check->text();
}

QString LessonsPanel::bodyText() const {
    return m_body->toPlainText();
}

void LessonsPanel::markSeen(int number, bool seen) {
    const qsizetype index = m_catalog.indexOf(number);
    if (index < 0 || m_seen.at(index) == seen)
        return;
    m_seen[index] = seen;
    m_picker->setItemText(int(index), pickerText(m_catalog.lessons.at(index), seen));
}

} // namespace cqrs::ui
