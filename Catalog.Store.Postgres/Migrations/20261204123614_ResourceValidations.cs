using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Store.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ResourceValidations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "resource_validations",
                columns: table => new
                {
                    ResourceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Report = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Schema = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    StandardId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    BlobSha256 = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    OriginalSha256 = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    FixesApplied = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Finished = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_validations", x => x.ResourceId);
                    table.ForeignKey(
                        name: "FK_resource_validations_resource_ResourceId",
                        column: x => x.ResourceId,
                        principalTable: "resource",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_resource_validations_Status",
                table: "resource_validations",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "resource_validations");
        }
    }
}
