#pragma once

#include "lessons/lesson.h"

#include <QList>
#include <QString>

namespace cqrs {

/// Every lesson of a folder (the resource folder ":/lessons" by default),
/// ordered by number. A file that cannot be used is listed in `problems`
/// with its name and line; the other lessons still load.
struct LessonCatalog {
    QList<Lesson> lessons;
    QList<LessonProblem> problems;

    static LessonCatalog load(const QString& directory = QStringLiteral(":/lessons"));
    /// The lesson numbered `number`, or null.
    const Lesson* find(int number) const;
    /// Its index in `lessons`, or -1.
    qsizetype indexOf(int number) const;
};

} // namespace cqrs
