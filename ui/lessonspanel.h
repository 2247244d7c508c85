#pragma once

#include "lessons/lessoncatalog.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace cqrs::ui {

/// The Lessons dock: one lesson at a time (its idea, what to do, what to
/// watch), a Set up button, the live check's words, Back and Next. It shows
/// and reports; LessonRunner turns the knobs and runs the check.
class LessonsPanel final : public QWidget {
    Q_OBJECT

public:
    explicit LessonsPanel(LessonCatalog catalog, QWidget* parent = nullptr);

    const LessonCatalog& catalog() const { return m_catalog; }
    /// The lesson shown, or null when no lesson file could be read.
    const Lesson* current() const;
    /// Shows lesson `number` (the first if there is none such) and emits lessonChosen().
    void showLesson(int number);
    void next();
    void previous();
    /// The check's words under the lesson; `seen` draws them as done.
    void setCheckText(const QString& text, bool seen);
    QString checkText() const;
    /// Ticks lesson `number` in the picker.
    void markSeen(int number, bool seen = true);

    QPushButton* setupButton() const { return m_setup; }
    QPushButton* nextButton() const { return m_next; }
    QPushButton* backButton() const { return m_back; }
    QComboBox* picker() const { return m_picker; }
    QString bodyText() const;

Q_SIGNALS:
    void lessonChosen(const cqrs::Lesson& lesson);
    void setupRequested(const cqrs::Lesson& lesson);

private:
    void showIndex(int index);
    QString pickerText(const Lesson& lesson, bool seen) const;

    LessonCatalog m_catalog;
    QLabel* m_problems = nullptr;
    QComboBox* m_picker = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_next = nullptr;
    QLabel* m_title = nullptr;
    QTextBrowser* m_body = nullptr;
    QPushButton* m_setup = nullptr;
    QLabel* m_check = nullptr;
    QList<bool> m_seen;
    bool m_checkSeen = false;
};

} // namespace cqrs::ui
