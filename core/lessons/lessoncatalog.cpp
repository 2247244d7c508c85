#include "lessons/lessoncatalog.h"

#include <QDir>
#include <QFile>

#include <algorithm>

namespace cqrs {

namespace {
constexpr qint64 largestLessonBytes = 256 * 1024;
} // namespace

LessonCatalog LessonCatalog::load(const QString& directory) {
    LessonCatalog catalog;
    const QDir dir(directory);
    const QStringList names = dir.entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name);
    for (const QString& name : names) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly)) {
            catalog.problems.append({name, 0, file.errorString()});
            continue;
        }
        if (file.size() > largestLessonBytes) {
            catalog.problems.append(
                {name, 0, QStringLiteral("The file is larger than %1 KiB.").arg(largestLessonBytes / 1024)});
            continue;
        }
        const QByteArray bytes = file.readAll();
        const QString text = QString::fromUtf8(bytes);
        if (text.toUtf8() != bytes) {
            catalog.problems.append({name, 0, QStringLiteral("The file is not valid UTF-8.")});
            continue;
        }
        LessonProblem problem;
        std::optional<Lesson> lesson = parseLesson(name, text, &problem);
        if (!lesson) {
            catalog.problems.append(problem);
            continue;
        }
        if (const Lesson* taken = catalog.find(lesson->number)) {
            catalog.problems.append({name, 0, QStringLiteral("Lesson %1 is already %2.")
                                                  .arg(lesson->number)
                                                  .arg(taken->fileName)});
            continue;
        }
        catalog.lessons.append(std::move(*lesson));
    }
    std::sort(catalog.lessons.begin(), catalog.lessons.end(),
              [](const Lesson& a, const Lesson& b) { return a.number < b.number; });
    return catalog;
}

const Lesson* LessonCatalog::find(int number) const {
    const qsizetype index = indexOf(number);
    return index < 0 ? nullptr : &lessons.at(index);
}

qsizetype LessonCatalog::indexOf(int number) const {
    for (qsizetype i = 0; i < lessons.size(); ++i) {
        if (lessons.at(i).number == number)
            return i;
    }
    return -1;
}

} // namespace cqrs
