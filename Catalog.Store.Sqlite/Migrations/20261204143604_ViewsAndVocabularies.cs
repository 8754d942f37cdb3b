using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Store.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ViewsAndVocabularies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "resource_view",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    ViewType = table.Column<string>(type: "TEXT", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    ConfigJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_view", x => x.Id);
                    table.ForeignKey(
                        name: "FK_resource_view_resource_ResourceId",
                        column: x => x.ResourceId,
                        principalTable: "resource",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "vocabulary",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vocabulary", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tag_VocabularyId",
                table: "tag",
                column: "VocabularyId");

            migrationBuilder.CreateIndex(
                name: "IX_resource_view_ResourceId_Order",
                table: "resource_view",
                columns: new[] { "ResourceId", "Order" });

            migrationBuilder.CreateIndex(
                name: "IX_vocabulary_Name",
                table: "vocabulary",
                column: "Name",
                unique: true);

            // Vocabularies used to exist only through their tags: give every vocabulary id tags already carry a
            // vocabulary of that id (and name) before tags must name an existing one.
            migrationBuilder.Sql("INSERT INTO vocabulary (Id, Name) SELECT DISTINCT VocabularyId, VocabularyId FROM tag WHERE VocabularyId IS NOT NULL;");

            migrationBuilder.AddForeignKey(
                name: "FK_tag_vocabulary_VocabularyId",
                table: "tag",
                column: "VocabularyId",
                principalTable: "vocabulary",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_tag_vocabulary_VocabularyId",
                table: "tag");

            migrationBuilder.DropTable(
                name: "resource_view");

            migrationBuilder.DropTable(
                name: "vocabulary");

            migrationBuilder.DropIndex(
                name: "IX_tag_VocabularyId",
                table: "tag");
        }
    }
}
