using System.Globalization;
using System.Text;
using Catalog.Core.DataStore;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.Edm.Vocabularies;
using Microsoft.OData.Edm.Vocabularies.V1;

namespace Catalog.Api.OData;

/// <summary>
/// The EDM model of one resource's rows, built from its columns when asked: an entity set <c>Rows</c> of
/// <c>Row</c>, keyed by <c>_id</c>, one typed property per column. Property names are the headers made valid
/// OData identifiers (Japanese letters kept); the header as written is the property's Core.Description.
/// </summary>
public sealed class RowsModel
{
    public const string Namespace = "Catalog.Rows";
    public const string EntitySetName = "Rows";

    public IEdmModel Model { get; }
    public EdmEntityType Row { get; }
    public IEdmEntitySet Rows { get; }
    public RowTable Table { get; }

    /// <summary>Property name → column position (<see cref="RowColumns.IdColumn"/> for the key).</summary>
    public IReadOnlyDictionary<string, int> Columns { get; }

    /// <summary>Column position → property name.</summary>
    public IReadOnlyList<string> Names { get; }

    public RowsModel(RowTable table)
    {
        Table = table;
        var model = new EdmModel();
        Row = new EdmEntityType(Namespace, "Row");
        var key = Row.AddStructuralProperty(RowColumns.IdName, EdmPrimitiveTypeKind.Int64, isNullable: false);
        Row.AddKeys(key);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal) { [RowColumns.IdName] = RowColumns.IdColumn };
        var names = new List<string>();
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            var name = Identifier(column.Id, columns.Keys);
            columns[name] = i;
            names.Add(name);
            var property = Row.AddStructuralProperty(name, Kind(column.Type), isNullable: true);
            if (name != column.Id)
            {
                var annotation = new EdmVocabularyAnnotation(property, CoreVocabularyModel.DescriptionTerm, new EdmStringConstant(column.Id));
                annotation.SetSerializationLocation(model, EdmVocabularyAnnotationSerializationLocation.Inline);
                model.AddVocabularyAnnotation(annotation);
            }
        }
        model.AddElement(Row);
        var container = new EdmEntityContainer(Namespace, "Container");
        Rows = container.AddEntitySet(EntitySetName, Row);
        model.AddElement(container);
        Model = model;
        Columns = columns;
        Names = names;
    }

    public static EdmPrimitiveTypeKind Kind(ColumnType type) => type switch
    {
        ColumnType.Int => EdmPrimitiveTypeKind.Int64,
        ColumnType.Numeric => EdmPrimitiveTypeKind.Decimal,
        ColumnType.Bool => EdmPrimitiveTypeKind.Boolean,
        ColumnType.Date => EdmPrimitiveTypeKind.Date,
        ColumnType.Timestamp => EdmPrimitiveTypeKind.DateTimeOffset,
        _ => EdmPrimitiveTypeKind.String,
    };

    /// <summary>OData's SimpleIdentifier: a letter or underscore, then letters, digits, marks and connectors.</summary>
    private static string Identifier(string header, IEnumerable<string> taken)
    {
        var sb = new StringBuilder();
        foreach (var ch in header.Normalize(NormalizationForm.FormKC))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            var ok = char.IsLetter(ch) || ch == '_' || category is UnicodeCategory.LetterNumber or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.ConnectorPunctuation;
            sb.Append(ok ? ch : '_');
        }
        var name = sb.ToString().Trim('_');
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_')) name = "_" + name;
        if (name.Length > 120) name = name[..120];
        var set = taken.ToHashSet(StringComparer.Ordinal);
        var unique = name;
        for (var n = 2; set.Contains(unique); n++) unique = $"{name}_{n}";
        return unique;
    }
}
