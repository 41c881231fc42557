using System.Collections;
using System.Linq.Expressions;
using System.Reflection;

namespace SkRerank.Postgres;

/// <summary>
/// Translates a LINQ filter over a record into a SQL condition with parameters. Supported: <c>==</c>, <c>!=</c>,
/// <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> between a property and a value, a bool property, <c>Contains</c>
/// of a value in an array or list property, <c>Contains</c> of a property in a captured array or list, <c>&amp;&amp;</c>,
/// <c>||</c>, <c>!</c> and constants. Comparisons keep C# semantics for nulls (<c>x == null</c> is <c>IS NULL</c>, and a
/// null never satisfies <c>&lt;</c> or <c>Contains</c>), so <c>!</c> negates exactly. Anything else throws a
/// <see cref="NotSupportedException"/> naming the construct.
/// </summary>
internal sealed class PostgresFilterTranslator(PostgresRecordModel model, SqlParameters parameters)
{
    /// <summary>Returns the SQL condition of <paramref name="filter"/>.</summary>
    /// <exception cref="NotSupportedException">The filter uses a construct that has no translation.</exception>
    public string Translate(LambdaExpression filter) => Condition(filter.Body, filter.Parameters[0]);

    private string Condition(Expression node, ParameterExpression record)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso } and:
                return $"({Condition(and.Left, record)} AND {Condition(and.Right, record)})";
            case BinaryExpression { NodeType: ExpressionType.OrElse } or:
                return $"({Condition(or.Left, record)} OR {Condition(or.Right, record)})";
            case UnaryExpression { NodeType: ExpressionType.Not } not:
                return $"(NOT {Condition(not.Operand, record)})";
            case BinaryExpression binary when binary.NodeType is ExpressionType.Equal or ExpressionType.NotEqual
                or ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual:
                return Comparison(binary, record);
            case MethodCallExpression call when call.Method.Name == nameof(Enumerable.Contains):
                return Contains(call, record);
            case MemberExpression member when ColumnOf(member, record) is { } column && column.SqlType == "boolean":
                return $"coalesce({Column(column)}, false)";
            default:
                if (!DependsOn(node, record) && node.Type == typeof(bool))
                    return (bool)Evaluate(node)! ? "TRUE" : "FALSE";
                throw Unsupported(node);
        }
    }

    private string Comparison(BinaryExpression binary, ParameterExpression record)
    {
        var (column, valueNode, flipped) = ColumnOf(binary.Left, record) is { } left && !DependsOn(binary.Right, record)
            ? (left, binary.Right, false)
            : ColumnOf(binary.Right, record) is { } right && !DependsOn(binary.Left, record)
                ? (right, binary.Left, true)
                : throw Unsupported(binary, "a comparison must be between a stored property and a value");
        if (PostgresProperty.ElementType(column.Property.PropertyType) is not null)
            throw Unsupported(binary, $"'{column.Name}' is a collection; use Contains");
        var value = Evaluate(valueNode);
        var sql = Column(column);
        // C# never finds NaN equal (or ordered) to anything; PostgreSQL sorts NaN above every number and equal to itself.
        if (value is double.NaN or float.NaN) return binary.NodeType == ExpressionType.NotEqual ? "TRUE" : "FALSE";
        var notNaN = column.SqlType is "double precision" or "real" ? $" AND {sql} <> 'NaN'" : "";
        switch (binary.NodeType)
        {
            case ExpressionType.Equal:
                return value is null ? $"({sql} IS NULL)" : $"({sql} IS NOT DISTINCT FROM {parameters.Add(value, column.SqlType)})";
            case ExpressionType.NotEqual:
                return value is null ? $"({sql} IS NOT NULL)" : $"({sql} IS DISTINCT FROM {parameters.Add(value, column.SqlType)})";
        }
        // In C#, an ordering comparison with a null operand is false; coalesce keeps it false (not NULL) so that ! negates it.
        if (value is null) return "FALSE";
        var op = (binary.NodeType, flipped) switch
        {
            (ExpressionType.LessThan, false) or (ExpressionType.GreaterThan, true) => "<",
            (ExpressionType.LessThanOrEqual, false) or (ExpressionType.GreaterThanOrEqual, true) => "<=",
            (ExpressionType.GreaterThan, false) or (ExpressionType.LessThan, true) => ">",
            _ => ">=",
        };
        return $"coalesce({sql} {op} {parameters.Add(value, column.SqlType)}{notNaN}, false)";
    }

    private string Contains(MethodCallExpression call, ParameterExpression record)
    {
        // list.Contains(x) is an instance call; Enumerable.Contains(source, x) and MemoryExtensions.Contains(span, x) are static.
        Expression source;
        Expression item;
        if (call.Object is not null && call.Arguments.Count == 1) (source, item) = (call.Object, call.Arguments[0]);
        else if (call.Object is null && call.Arguments.Count == 2) (source, item) = (call.Arguments[0], call.Arguments[1]);
        else throw Unsupported(call, "Contains with a comparer");
        source = StripConversions(source);

        // array_position finds NULL elements too (it compares with IS NOT DISTINCT FROM) and is NULL for a NULL array.
        if (ColumnOf(source, record) is { } arrayColumn && !DependsOn(item, record))
        {
            var elementType = arrayColumn.SqlType.EndsWith("[]", StringComparison.Ordinal) ? arrayColumn.SqlType[..^2] : throw Unsupported(call, $"'{arrayColumn.Name}' is not an array or list");
            return $"(array_position({Column(arrayColumn)}, {parameters.Add(Evaluate(item), elementType)}) IS NOT NULL)";
        }
        if (ColumnOf(StripConversions(item), record) is { } column && !DependsOn(source, record))
        {
            if (Evaluate(source) is not IEnumerable values || values is string) throw Unsupported(call, "Contains needs a collection of values");
            var array = values.Cast<object?>().Select(v => v is Enum ? SqlParameters.ToDatabase(v) : v).ToArray();
            var elementType = Nullable.GetUnderlyingType(column.Property.PropertyType) ?? column.Property.PropertyType;
            var typed = Array.CreateInstance(elementType.IsEnum ? typeof(int) : elementType, array.Length);
            for (var i = 0; i < array.Length; i++) typed.SetValue(array[i], i);
            return $"(array_position({parameters.Add(typed, column.SqlType + "[]")}, {Column(column)}) IS NOT NULL)";
        }
        throw Unsupported(call, "Contains must test a value in a stored array or list, or a stored property in a captured collection");
    }

    /// <summary>The stored property <paramref name="node"/> reads from the record, or null.</summary>
    private PostgresProperty? ColumnOf(Expression node, ParameterExpression record)
    {
        node = StripConversions(node);
        return node is MemberExpression { Member: PropertyInfo property } member && member.Expression == record
            ? model.FindKeyOrData(property.Name) ?? throw Unsupported(node, $"'{property.Name}' is not a stored key or data property")
            : null;
    }

    private static Expression StripConversions(Expression node)
    {
        while (true)
        {
            switch (node)
            {
                case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert:
                    node = convert.Operand;
                    continue;
                // C# 14 binds array.Contains(x) to MemoryExtensions.Contains over an implicitly converted span.
                case MethodCallExpression { Method.Name: "op_Implicit", Arguments.Count: 1 } implicitConversion:
                    node = implicitConversion.Arguments[0];
                    continue;
                default:
                    return node;
            }
        }
    }

    private static string Column(PostgresProperty property) => SqlIdentifier.Quote(property.ColumnName);

    private static bool DependsOn(Expression node, ParameterExpression record)
    {
        var finder = new ParameterFinder(record);
        finder.Visit(node);
        return finder.Found;
    }

    /// <summary>Evaluates a value (a constant, a captured variable or anything else not reading the record).</summary>
    private static object? Evaluate(Expression node)
    {
        node = StripConversionsKeepingType(node);
        return node switch
        {
            ConstantExpression constant => constant.Value,
            MemberExpression { Member: FieldInfo field, Expression: var owner } => field.GetValue(owner is null ? null : Evaluate(owner)),
            MemberExpression { Member: PropertyInfo property, Expression: var owner } => property.GetValue(owner is null ? null : Evaluate(owner)),
            _ => Expression.Lambda(node).Compile().DynamicInvoke(),
        };
    }

    // A boxing conversion (e.g. int to object) changes nothing about the value; keep others (they may convert).
    private static Expression StripConversionsKeepingType(Expression node) =>
        node is UnaryExpression { NodeType: ExpressionType.Convert, Method: null } convert && convert.Operand.Type.IsAssignableTo(convert.Type)
            ? convert.Operand
            : node;

    private static NotSupportedException Unsupported(Expression node, string? why = null) => new(
        $"The PostgreSQL collection cannot translate the filter construct '{node}' ({node.NodeType}){(why is null ? "" : ": " + why)}. " +
        "Supported: ==, !=, <, <=, >, >= between a property and a value, bool properties, Contains on arrays and lists, &&, || and !.");

    private sealed class ParameterFinder(ParameterExpression record) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (node == record) Found = true;
            return node;
        }
    }
}
